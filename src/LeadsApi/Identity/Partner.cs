namespace LeadsApi.Identity;

/// <summary>A company that receives leads. Every lead, favorite and partner user key belongs to one.</summary>
public sealed class Partner
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
