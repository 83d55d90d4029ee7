namespace LeadsApi.Leads;

/// <summary>No lead with this id is visible to the caller; another partner's lead is reported the same way.</summary>
public sealed class LeadNotFoundException(Guid leadId) : Exception($"No lead with id {leadId} is visible to your key.")
{
    public Guid LeadId { get; } = leadId;
}

/// <summary>The caller's If-Match does not match the lead's current ETag.</summary>
public sealed class LeadPreconditionFailedException(string currentETag)
    : Exception("The If-Match header does not match the lead's current ETag; read the lead again.")
{
    public string CurrentETag { get; } = currentETag;
}
