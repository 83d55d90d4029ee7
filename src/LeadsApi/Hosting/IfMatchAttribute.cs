using Microsoft.AspNetCore.Http.Metadata;

namespace LeadsApi.Hosting;

/// <summary>The <c>If-Match</c> request header: the ETag the client last read, for a change made only if nobody else changed the lead since.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class IfMatchAttribute : Attribute, IFromHeaderMetadata
{
    /// <summary>What the contract says of the header.</summary>
    public const string Description = "The lead's ETag as you last read it: the change is made only if nobody changed the lead since (else 412).";

    public string Name => "If-Match";
}
