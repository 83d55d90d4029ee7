using LeadsApi.Domain.Leads;

namespace LeadsApi.Identity;

/// <summary>A system or partner that hands leads to partners.</summary>
public sealed class Sender
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required SenderKind Kind { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
