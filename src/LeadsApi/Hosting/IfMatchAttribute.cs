using Microsoft.AspNetCore.Http.Metadata;

namespace LeadsApi.Hosting;

/// <summary>The <c>If-Match</c> request header: the ETag the client last read, for a change made only if nobody else changed the lead since.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class IfMatchAttribute : Attribute, IFromHeaderMetadata
{
    /// <summary>What the contract says of the header.</summary>
    public const string Description = "The lead's ETag as you last read it: the change is made only if nobody changed the lead since (else 412).";

    /// <summary>What the ETag is of, for the contract's words, when it is not a lead (the business profile).</summary>
    public string? Of { get; init; }

    public string Describe() => Of is null ? Description
        : $"The {Of}'s ETag as you last read it: the change is made only if nobody changed the {Of} since (else 412); left out, the last write wins.";

    public string Name => "If-Match";
}

/// <summary>The <c>If-None-Match</c> request header: the ETags of the representations the client holds, for a 304 instead of the same body again.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class IfNoneMatchAttribute : Attribute, IFromHeaderMetadata
{
    /// <summary>What the contract says of the header.</summary>
    public const string Description = "The ETag of the lead as you hold it: when the lead still reads the same to you (its changes, your star, "
        + "its hot window and respondBy included), the answer is 304 Not Modified without a body.";

    public string Name => "If-None-Match";
}
