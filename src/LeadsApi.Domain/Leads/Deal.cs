using System.Globalization;

namespace LeadsApi.Domain.Leads;

/// <summary>What the partner tracks about an accepted lead.</summary>
public sealed record Deal(
    string DealName,
    Money EstimatedValue,
    DateOnly EstimatedCloseDate,
    string? Notes,
    string? CrmId,
    string? CampaignId)
{
    // For EF Core, which cannot bind the nested Money through the constructor.
    private Deal()
        : this(null!, null!, default, null, null, null)
    {
    }

    /// <summary>The deal with the patch's present members applied.</summary>
    public Deal With(DealPatch patch) => new(
        patch.DealName.Or(DealName),
        patch.EstimatedValue.Or(EstimatedValue),
        patch.EstimatedCloseDate.Or(EstimatedCloseDate),
        patch.Notes.Or(Notes),
        patch.CrmId.Or(CrmId),
        patch.CampaignId.Or(CampaignId));

    /// <summary>The fields that differ between two versions of a deal; <paramref name="before"/> is null on accept.</summary>
    internal static List<FieldChange> Changes(Deal? before, Deal after)
    {
        FieldChange?[] changes =
        [
            FieldChange.Of("dealName", before?.DealName, after.DealName),
            FieldChange.Of("estimatedValue", Format(before?.EstimatedValue), Format(after.EstimatedValue)),
            FieldChange.Of("estimatedCloseDate", before?.EstimatedCloseDate.ToString("O", CultureInfo.InvariantCulture), after.EstimatedCloseDate.ToString("O", CultureInfo.InvariantCulture)),
            FieldChange.Of("notes", before?.Notes, after.Notes),
            FieldChange.Of("crmId", before?.CrmId, after.CrmId),
            FieldChange.Of("campaignId", before?.CampaignId, after.CampaignId),
        ];
        return [.. changes.OfType<FieldChange>()];
    }

    internal static string? Format(Money? money) =>
        money is null ? null : FormattableString.Invariant($"{money.Amount:0.00##} {money.Currency}");
}

/// <summary>
/// A JSON merge patch of deal fields: a member that is unset stays as it is; a set member replaces
/// the value, null included.
/// </summary>
public sealed record DealPatch(
    Optional<string> DealName = default,
    Optional<Money> EstimatedValue = default,
    Optional<DateOnly> EstimatedCloseDate = default,
    Optional<string?> Notes = default,
    Optional<string?> CrmId = default,
    Optional<string?> CampaignId = default);

/// <summary>A value that may be absent, as distinct from present and null.</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public T Or(T fallback) => IsSet ? Value : fallback;

    public static implicit operator Optional<T>(T value) => new(true, value);
}
