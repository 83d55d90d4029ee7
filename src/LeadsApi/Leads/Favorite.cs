namespace LeadsApi.Leads;

/// <summary>A lead one user starred. It belongs to the user, never changes the lead, and is allowed in every stage.</summary>
public sealed class Favorite
{
    public required Guid PartnerId { get; init; }
    public required Guid UserId { get; init; }
    public required Guid LeadId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
