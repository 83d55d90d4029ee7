namespace LeadsApi.Client;

/// <summary>
/// The generated client returns bodies only. The contract describes no response headers (createLead's
/// and addTeamMember's <c>Location</c>, the lead's <c>ETag</c>), and createLead's 201 (created) and 200
/// (found by externalId) both come back as a plain <see cref="SenderLeadResponse"/>. This uses the generated
/// ProcessResponse hook to keep the last answer's status code and Location, so the scenario can
/// check them as a user would (NSwag's /WrapResponses:true is the other way, at the price of changing
/// every method's return type).
/// </summary>
public partial class LeadsApiClient
{
    /// <summary>The HTTP status code of the last response this client received.</summary>
    public int LastStatusCode { get; private set; }

    /// <summary>The Location header of the last response, when it had one.</summary>
    public Uri? LastLocation { get; private set; }

    partial void ProcessResponse(HttpClient client, HttpResponseMessage response)
    {
        LastStatusCode = (int)response.StatusCode;
        LastLocation = response.Headers.Location;
    }
}
