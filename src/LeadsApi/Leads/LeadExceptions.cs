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

/// <summary>Routing found no partner that can take the customer's request (POST /v1/leads with routing).</summary>
public sealed class NoMatchingPartnerException(int considered, int excluded)
    : Exception(considered == 0
        ? "No partner's profile has a location in the customer's country."
        : $"All {considered} partners considered are excluded ({excluded} paused, at capacity, not taking the lead type, or having declined or let expire this customer lately).");
