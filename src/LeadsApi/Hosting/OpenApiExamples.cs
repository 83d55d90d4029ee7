using System.Text.Json.Nodes;
using LeadsApi.Leads;

namespace LeadsApi.Hosting;

/// <summary>The examples of the OpenAPI document: one realistic body per request and response type, one problem per status.</summary>
internal static class OpenApiExamples
{
    private const string Lead = """
        {
          "id": "01a21546-1e3b-7095-9e9f-614eaf3c72ab",
          "partnerId": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11",
          "type": "customerInquiry",
          "status": "accepted",
          "stage": "accepted",
          "allowedActions": ["edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"],
          "sender": { "kind": "marketplace", "id": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12", "name": "Marketplace" },
          "customer": {
            "companyName": "Fabrikam Ltd", "contactName": "Ana Silva", "email": "ana@fabrikam.example",
            "phone": "+351 21 000 0000", "country": "PT", "companySize": "small", "industry": "retail"
          },
          "need": "Move 40 mailboxes and set up Teams",
          "campaignId": "CMP-2026-11",
          "externalId": "mkt-123",
          "contactRequest": { "requested": true, "state": "hot", "hotUntil": "2026-11-27T10:00:00Z" },
          "receivedAt": "2026-11-24T10:00:00Z",
          "respondBy": "2026-12-08T10:00:00Z",
          "acceptedAt": "2026-11-24T12:00:00Z",
          "closedAt": null,
          "updatedAt": "2026-11-24T12:00:00Z",
          "deal": {
            "dealName": "Fabrikam mailbox move", "estimatedValue": { "amount": 12000.00, "currency": "EUR" },
            "estimatedCloseDate": "2027-01-31", "notes": "Tenant-to-tenant move", "crmId": "CRM-991", "campaignId": "CMP-2026-11"
          },
          "team": [ { "id": "5f0c2a8e-3c1d-4d57-9a0e-2b7f6c1d9e41", "name": "Li Wei", "phone": "+351 21 000 0001", "email": "li@contoso.example" } ],
          "decline": null,
          "outcome": null,
          "favorite": false,
          "etag": "\"7342\""
        }
        """;

    /// <summary>The lead of <see cref="Lead"/> once won, as its sender reads it.</summary>
    private const string SenderLead = """
        {
          "id": "01a21546-1e3b-7095-9e9f-614eaf3c72ab",
          "partnerId": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11",
          "type": "customerInquiry",
          "status": "won",
          "stage": "archived",
          "allowedActions": [],
          "sender": { "kind": "marketplace", "id": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12", "name": "Marketplace" },
          "customer": {
            "companyName": "Fabrikam Ltd", "contactName": "Ana Silva", "email": "ana@fabrikam.example",
            "phone": "+351 21 000 0000", "country": "PT", "companySize": "small", "industry": "retail"
          },
          "need": "Move 40 mailboxes and set up Teams",
          "campaignId": "CMP-2026-11",
          "externalId": "mkt-123",
          "contactRequest": { "requested": true, "state": null, "hotUntil": "2026-11-27T10:00:00Z" },
          "receivedAt": "2026-11-24T10:00:00Z",
          "respondBy": "2026-12-08T10:00:00Z",
          "acceptedAt": "2026-11-24T12:00:00Z",
          "closedAt": "2027-01-20T16:00:00Z",
          "updatedAt": "2027-01-20T16:00:00Z",
          "decline": null,
          "outcome": { "result": "won", "closedOn": "2027-01-20" },
          "etag": "\"7351\""
        }
        """;

    private static readonly Dictionary<Type, string> Requests = new()
    {
        [typeof(CreateLeadRequest)] = """
            {
              "partnerId": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11",
              "type": "customerInquiry",
              "customer": {
                "companyName": "Fabrikam Ltd", "contactName": "Ana Silva", "email": "ana@fabrikam.example",
                "phone": "+351 21 000 0000", "country": "PT", "companySize": "small", "industry": "retail"
              },
              "need": "Move 40 mailboxes and set up Teams",
              "contactRequested": true,
              "campaignId": "CMP-2026-11",
              "externalId": "mkt-123"
            }
            """,
        [typeof(AcceptLeadRequest)] = """
            {
              "dealName": "Fabrikam mailbox move",
              "estimatedValue": { "amount": 12000.00, "currency": "EUR" },
              "estimatedCloseDate": "2027-01-31",
              "notes": "Tenant-to-tenant move",
              "crmId": "CRM-991",
              "campaignId": "CMP-2026-11",
              "contacts": [ { "name": "Li Wei", "phone": "+351 21 000 0001", "email": "li@contoso.example" } ]
            }
            """,
        [typeof(DeclineLeadRequest)] = """{ "reason": "notAFit", "notes": "We do not serve retail" }""",
        [typeof(MarkLeadWonRequest)] = """{ "finalValue": { "amount": 11500.00, "currency": "EUR" }, "closedOn": "2027-01-20", "notes": "Signed" }""",
        [typeof(MarkLeadLostRequest)] = """{ "reason": "competitor", "notes": "Chose a local firm" }""",
        [typeof(EditDealRequest)] = """{ "estimatedValue": { "amount": 15000.00, "currency": "EUR" }, "notes": null }""",
        [typeof(TeamMemberInput)] = """{ "name": "Sam Shaw", "phone": "+351 21 000 0002", "email": "sam@contoso.example" }""",
    };

    private static readonly Dictionary<Type, string> Responses = new()
    {
        [typeof(LeadResponse)] = Lead,
        [typeof(LeadPage)] = $$"""{ "items": [ {{Lead}} ], "nextLink": "/v1/leads?sort=-receivedAt&limit=1&cursor=eyJTb3J0IjoiLXJlY2VpdmVkQXQifQ" }""",
        [typeof(SenderLeadResponse)] = SenderLead,
        [typeof(SenderLeadPage)] = $$"""{ "items": [ {{SenderLead}} ], "nextLink": "/v1/leads?sort=-receivedAt&limit=1&cursor=eyJTb3J0IjoiLXJlY2VpdmVkQXQifQ" }""",
        [typeof(SenderTimelineResponse)] = """
            {
              "items": [
                {
                  "id": "01a21546-1e3b-7095-9e9f-614eaf3c72ac", "kind": "received", "at": "2026-11-24T10:00:00Z", "actorKind": "sender",
                  "fromStatus": null, "toStatus": "received", "changes": []
                },
                {
                  "id": "01a21546-1e3b-7095-9e9f-614eaf3c72ae", "kind": "accepted", "at": "2026-11-24T12:00:00Z", "actorKind": "user",
                  "fromStatus": "received", "toStatus": "accepted", "changes": []
                },
                {
                  "id": "01a21546-1e3b-7095-9e9f-614eaf3c72af", "kind": "won", "at": "2027-01-20T16:00:00Z", "actorKind": "user",
                  "fromStatus": "accepted", "toStatus": "won", "changes": [ { "field": "closedOn", "before": null, "after": "2027-01-20" } ]
                }
              ]
            }
            """,
        [typeof(LeadSummary)] = """
            {
              "marketplace": { "received": 3, "accepted": 1, "archived": 7 },
              "qualified": { "received": 2, "accepted": 4, "archived": 12 },
              "favorites": { "received": 1, "accepted": 1, "archived": 0 }
            }
            """,
        [typeof(TimelineResponse)] = """
            {
              "items": [
                {
                  "id": "01a21546-1e3b-7095-9e9f-614eaf3c72ac", "kind": "received", "at": "2026-11-24T10:00:00Z",
                  "actor": { "kind": "sender", "id": "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12", "name": "Marketplace" },
                  "fromStatus": null, "toStatus": "received", "changes": []
                },
                {
                  "id": "01a21546-1e3b-7095-9e9f-614eaf3c72ad", "kind": "dealEdited", "at": "2026-11-25T09:30:00Z",
                  "actor": { "kind": "user", "id": "01a21548-651c-7859-8534-884124113b99", "name": "Rita Referrals" },
                  "fromStatus": "accepted", "toStatus": "accepted",
                  "changes": [ { "field": "estimatedValue", "before": "12000.00 EUR", "after": "15000.00 EUR" } ]
                }
              ]
            }
            """,
        [typeof(Domain.Leads.TeamMember)] = """{ "id": "5f0c2a8e-3c1d-4d57-9a0e-2b7f6c1d9e42", "name": "Sam Shaw", "phone": "+351 21 000 0002", "email": "sam@contoso.example" }""",
    };

    private static readonly Dictionary<string, string> Problems = new()
    {
        ["400"] = """
            {
              "type": "/problems/validation-failed", "title": "The request is not valid", "status": 400,
              "detail": "2 field(s) are not valid: dealName, estimatedValue.currency.", "instance": "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab/accept",
              "code": "validation-failed",
              "errors": { "dealName": ["Required."], "estimatedValue.currency": ["Not an ISO 4217 currency code, e.g. EUR or USD."] }
            }
            """,
        ["401"] = """
            {
              "type": "/problems/unauthenticated", "title": "An API key is required", "status": 401,
              "detail": "Send your API key as 'Authorization: Bearer <api key>'.", "instance": "/v1/leads", "code": "unauthenticated"
            }
            """,
        ["403"] = """
            {
              "type": "/problems/forbidden", "title": "Your key may not do this", "status": 403,
              "detail": "The key is valid but its roles do not allow this call: readers can read, referrals and partner admins act on leads, senders create leads.",
              "instance": "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab/accept", "code": "forbidden"
            }
            """,
        ["404"] = """
            {
              "type": "/problems/lead-not-found", "title": "The lead does not exist", "status": 404,
              "detail": "No lead with id 01a21546-1e3b-7095-9e9f-614eaf3c72ab is visible to your key.",
              "instance": "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab", "code": "lead-not-found"
            }
            """,
        ["409"] = """
            {
              "type": "/problems/invalid-transition", "title": "The lead's status does not allow this action", "status": 409,
              "detail": "Cannot decline the lead: the lead is accepted; allowed now: edit, addTeamMember, removeTeamMember, markWon, markLost.",
              "instance": "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab/decline", "code": "invalid-transition",
              "currentStatus": "accepted", "allowedActions": ["edit", "addTeamMember", "removeTeamMember", "markWon", "markLost"]
            }
            """,
        ["412"] = """
            {
              "type": "/problems/precondition-failed", "title": "The lead has changed since you read it", "status": 412,
              "detail": "The If-Match header does not match the lead's current ETag; read the lead again.",
              "instance": "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab/accept", "code": "precondition-failed", "currentETag": "\"7343\""
            }
            """,
        ["413"] = """
            {
              "type": "/problems/payload-too-large", "title": "The request body is too large", "status": 413,
              "detail": "Request bodies are limited to 64 KiB.", "instance": "/v1/leads", "code": "payload-too-large"
            }
            """,
        ["415"] = """
            {
              "type": "/problems/unsupported-media-type", "title": "The body must be JSON", "status": 415,
              "detail": "Send the body with 'Content-Type: application/json' (or application/merge-patch+json for PATCH).",
              "instance": "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab/accept", "code": "unsupported-media-type"
            }
            """,
        ["503"] = """
            {
              "type": "/problems/service-unavailable", "title": "The service is busy", "status": 503,
              "detail": "The service cannot answer right now; nothing was changed. Retry after the seconds in Retry-After.",
              "instance": "/v1/leads", "code": "service-unavailable"
            }
            """,
    };

    public static JsonNode? ForRequest(Type? type) => type is not null && Requests.TryGetValue(type, out var json) ? JsonNode.Parse(json) : null;

    public static JsonNode? ForResponse(Type? type) => type is not null && Responses.TryGetValue(type, out var json) ? JsonNode.Parse(json) : null;

    /// <summary>Who gets a body of this type, for the names of the examples of a call that answers per caller.</summary>
    public static string Audience(Type type) =>
        SenderBodies.Contains(type) ? "As the lead's sender reads it" : "As the partner's users read it";

    private static readonly HashSet<Type> SenderBodies = [typeof(SenderLeadResponse), typeof(SenderLeadPage), typeof(SenderTimelineResponse)];

    public static JsonNode? Problem(string status) => Problems.TryGetValue(status, out var json) ? JsonNode.Parse(json) : null;
}
