using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using LeadsApi.Domain.Leads;
using LeadsApi.Events;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.Domain.Matching;
using LeadsApi.Matching;
using LeadsApi.Partners;
using LeadsApi.Domain.Partners;
using LeadsApi.Webhooks;

namespace LeadsApi.Hosting;

/// <summary>
/// The examples of the OpenAPI document: one realistic body per request and response type, one problem per
/// status. They are values of the types themselves, written with the API's own JSON options, so an example
/// cannot hold a member, a name or a format the server would not read or write.
/// </summary>
internal static class OpenApiExamples
{
    private static readonly JsonSerializerOptions Json = ApiJson();

    private static readonly Guid LeadId = Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ab");
    private static readonly Guid PartnerId = Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a11");
    private static readonly SenderRef Marketplace = new(SenderKind.Marketplace, Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12"), "Marketplace");
    private static readonly Customer Fabrikam = new("Fabrikam Ltd", "Ana Silva", "ana@fabrikam.example", "+351 21 000 0000", "PT", CompanySize.Small, "retail");
    private static readonly TeamMember LiWei = new(Guid.Parse("5f0c2a8e-3c1d-4d57-9a0e-2b7f6c1d9e41"), "Li Wei", "+351 21 000 0001", "li@contoso.example");
    private static readonly TeamMember SamShaw = new(Guid.Parse("5f0c2a8e-3c1d-4d57-9a0e-2b7f6c1d9e42"), "Sam Shaw", "+351 21 000 0002", "sam@contoso.example");
    private const string Need = "Move 40 mailboxes and set up Teams";
    private const string Campaign = "CMP-2026-11";
    private const string NextLink = "/v1/leads?sort=-receivedAt&limit=1&cursor=eyJTb3J0IjoiLXJlY2VpdmVkQXQifQ";

    private static readonly LeadResponse Lead = new(
        LeadId, PartnerId, LeadType.CustomerInquiry, LeadStatus.Accepted, LeadStage.Accepted,
        [LeadAction.Edit, LeadAction.AddTeamMember, LeadAction.RemoveTeamMember, LeadAction.MarkWon, LeadAction.MarkLost],
        Marketplace, Fabrikam, Need, Campaign, "mkt-123",
        new ContactRequest(true, ContactRequestState.Hot, At("2026-11-27T10:00:00Z")),
        ReceivedAt: At("2026-11-24T10:00:00Z"),
        RespondBy: At("2026-12-08T10:00:00Z"),
        AcceptedAt: At("2026-11-24T12:00:00Z"),
        ClosedAt: null,
        UpdatedAt: At("2026-11-24T12:00:00Z"),
        Deal: new Deal("Fabrikam mailbox move", new Money(12000.00m, "EUR"), new DateOnly(2027, 1, 31), "Tenant-to-tenant move", "CRM-991", Campaign),
        Team: [LiWei],
        Decline: null,
        Outcome: null,
        Favorite: false,
        ETag: "\"7342\"");

    /// <summary>The lead of <see cref="Lead"/> once won, as its sender reads it.</summary>
    private static readonly SenderLeadResponse SenderLead = new(
        LeadId, PartnerId, LeadType.CustomerInquiry, LeadStatus.Won, LeadStage.Archived, [],
        Marketplace, Fabrikam, Need, Campaign, "mkt-123",
        new ContactRequest(true, null, At("2026-11-27T10:00:00Z")),
        ReceivedAt: At("2026-11-24T10:00:00Z"),
        RespondBy: At("2026-12-08T10:00:00Z"),
        AcceptedAt: At("2026-11-24T12:00:00Z"),
        ClosedAt: At("2027-01-20T16:00:00Z"),
        UpdatedAt: At("2027-01-20T16:00:00Z"),
        Decline: null,
        Outcome: new SenderOutcome(LeadStatus.Won, new DateOnly(2027, 1, 20)),
        ETag: "\"7351\"");

    private static readonly Guid WebhookId = Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25a01");

    private static readonly WebhookResponse Webhook = new(
        WebhookId, "https://crm.example.com/hooks/leads", [EventTypes.Accepted, EventTypes.Declined], "CRM sync", Enabled: true, DisabledReason: null,
        CreatedAt: At("2026-11-24T09:00:00Z"), UpdatedAt: At("2026-11-24T09:00:00Z"), PendingDeliveries: 1, LastSuccessAt: At("2026-11-24T12:00:01Z"),
        LastFailure: new WebhookFailure(At("2026-11-24T11:00:00Z"), 503, "The receiver answered 503."),
        PreviousSecretExpiresAt: null,
        Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    private static readonly DeliveryResponse Delivery = new(
        Guid.Parse("3f7d1c2a-9b8e-4c5d-8e1f-2a3b4c5d6e7f"), Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ae"), EventTypes.Accepted,
        DeliveryState.Delivered, At("2026-11-24T12:00:00Z"), NextAttemptAt: null,
        [new DeliveryAttempt(At("2026-11-24T12:00:00Z"), 503, 48, "The receiver answered 503."), new DeliveryAttempt(At("2026-11-24T12:00:05Z"), 204, 31, null)]);

    private static readonly EventMessage AcceptedEvent = new(
        Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ae"), EventTypes.Accepted, At("2026-11-24T12:00:00Z"), PartnerId, LeadId, 2,
        new EventData(JsonSerializer.SerializeToElement(Lead, Json),
            [new EventFieldChange("status", "received", "accepted"), new EventFieldChange("dealName", null, "Fabrikam mailbox move")], Reminder: null));

    /// <summary>A batch import: a new lead, one sent before (its externalId again), and one for a partner that does not exist.</summary>
    private static readonly CreateLeadRequest[] BatchLeads =
    [
        new(PartnerId, LeadType.MarketingQualified,
            new CustomerInput("Northwind Traders", "Rui Costa", "rui@northwind.example", "+351 22 000 0000", "PT", CompanySize.Medium, "logistics"),
            "Replace the on-premises file server", ContactRequested: false, Campaign, "mkt-124"),
        new(PartnerId, LeadType.CustomerInquiry,
            new CustomerInput("Fabrikam Ltd", "Ana Silva", "ana@fabrikam.example", "+351 21 000 0000", "PT", CompanySize.Small, "retail"),
            Need, ContactRequested: true, Campaign, "mkt-123"),
        new(Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a99"), LeadType.CustomerInquiry,
            new CustomerInput("Tailspin Toys", "Mia Lopes", "mia@tailspin.example", null, "PT", CompanySize.Micro, null),
            "A website with a shop", ContactRequested: false, null, "mkt-125"),
    ];

    private static readonly Guid ImportedLeadId = Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72b0");
    private const string AdminSecret = "lak_Hq3ZmT8sKp1vW6yB4nR9cE2xJ7aL5dF0gU3iO8tY6wQ";

    private static readonly ApiKeyCreator Platform = new(Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25c00"), "Onboarding desk");

    private static readonly ApiKeyResponse AdminKey = new(
        Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25b01"), "admin", "lak_Hq3ZmT8s", [Roles.PartnerAdmin],
        Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25c01"), At("2026-11-24T09:00:00Z"), Platform, LastUsedAt: At("2026-11-24T12:05:00Z"),
        ExpiresAt: null, Secret: null);

    private static readonly ApiKeyResponse NewApiKey = new(
        Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25b02"), "CRM sync", "lak_Vd9QeR2m", [Roles.ReferralsAdmin],
        Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25c02"), At("2026-11-24T12:00:00Z"), new ApiKeyCreator(AdminKey.UserId, "admin"),
        LastUsedAt: null, ExpiresAt: At("2027-06-30T00:00:00Z"), Secret: "lak_Vd9QeR2mXk7pL3sN8wT1yB6cF4hJ0aZ5gU2iO9rE3qW");

    // Business profiles (issue 12, item 1)
    private static readonly ServiceLocation LisbonOffice = new(
        "Lisbon office", "PT", "Lisboa", "Lisbon", new GeoPoint(38.7223, -9.1393), 150,
        new NotificationContact("Li Wei", "li@contoso.example", "+351 21 000 0001"));

    private static readonly PartnerProfileResponse Profile = new(
        PartnerId, 3, At("2026-11-24T12:00:00Z"),
        ["microsoft 365", "teams", "exchange migration"], ["retail", "logistics"], [CompanySize.Small, CompanySize.Medium],
        [BusinessModel.ProjectServices, BusinessModel.ManagedServices], [LeadType.CustomerInquiry, LeadType.MarketingQualified],
        ["pt-PT", "en"], [LisbonOffice], WeeklyCapacity: 20, Pause: null, Paused: false, ETag: "\"3-0\"");

    // Matching (issue 12, item 3): the answer is what MatchScoring makes of the request and two partners, so every number
    // and sentence in it is one the service would write.
    private static readonly FindMatchesRequest MatchRequest = new(
        LeadType.CustomerInquiry, "Move 40 mailboxes to Exchange Online and set up Teams", ["Microsoft 365", "migration"], "retail",
        CompanySize.Small, BusinessModel: null, "PT", "Lisboa", "Lisbon", new CoordinatesInput(38.7223m, -9.1393m), "pt-PT",
        new MatchCustomerInput("ana@fabrikam.example", "Fabrikam Ltd"), Limit: 10);

    private static MatchesResponse Matches()
    {
        var at = At("2026-12-01T10:00:00Z");
        MatchCandidate Candidate(Guid id, string name, string[] keywords, string city, double latitude, double longitude) => new()
        {
            PartnerId = id, Name = name, ExpertiseKeywords = keywords, Industries = ["retail"], CompanySizes = [CompanySize.Small, CompanySize.Medium],
            LeadTypesAccepted = Enum.GetValues<LeadType>(), Languages = ["pt", "en"],
            Locations = [new CandidateLocation { Name = $"{city} office", Country = "PT", Region = city, City = city, Coordinates = new(latitude, longitude), ServiceRadiusKm = 50 }],
        };
        MatchCandidate[] candidates =
        [
            Candidate(PartnerId, "Contoso", ["microsoft 365", "exchange online", "teams"], "Lisboa", 38.7369, -9.1427) with
            {
                WeeklyCapacity = 10, LeadsThisWeek = 4, LeadsLast7Days = 5,
                History = new CandidateHistory
                {
                    ResolvedLeads = 20, MedianHoursToRespond = 6, AnsweredWithin24hShare = 0.8, ExpiryRate = 0.05,
                    SimilarLeads = 12, SimilarAcceptanceRate = 0.75, SimilarClosedLeads = 6, SimilarWinRate = 0.5,
                },
            },
            Candidate(Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a21"), "Northwind", ["microsoft 365", "migration", "sharepoint"], "Porto", 41.1579, -8.6291) with { LeadsLast7Days = 3 },
            Candidate(Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a22"), "Tailspin", ["microsoft 365"], "Lisboa", 38.7369, -9.1427) with
            {
                RecentAnswers = [new RecentAnswer(LeadId, RecentAnswerKind.Declined, At("2026-10-31T15:00:00Z"), "fabrikam.example", "Fabrikam Ltd")],
            },
        ];
        var request = MatchRequest.ToCustomerRequest();
        return MatchesResponse.From(MatchScoring.Rank(request, candidates, MatchWeights.Default, at, 10), candidates.Length, MatchWeights.Default, at, 10);
    }

    private static readonly Dictionary<Type, object> Requests = new()
    {
        [typeof(CreateWebhookRequest)] = new CreateWebhookRequest("https://crm.example.com/hooks/leads", [EventTypes.Accepted, EventTypes.Declined], "CRM sync", Enabled: true),
        [typeof(UpdateWebhookRequest)] = new UpdateWebhookRequest { Enabled = true, EventTypes = [] },
        [typeof(CreateLeadRequest)] = new CreateLeadRequest(
            PartnerId, LeadType.CustomerInquiry,
            new CustomerInput("Fabrikam Ltd", "Ana Silva", "ana@fabrikam.example", "+351 21 000 0000", "PT", CompanySize.Small, "retail"),
            Need, ContactRequested: true, Campaign, "mkt-123"),
        [typeof(AcceptLeadRequest)] = new AcceptLeadRequest(
            "Fabrikam mailbox move", new MoneyInput(12000.00m, "EUR"), new DateOnly(2027, 1, 31), "Tenant-to-tenant move", "CRM-991", Campaign,
            [new TeamMemberInput("Li Wei", "+351 21 000 0001", "li@contoso.example")]),
        [typeof(DeclineLeadRequest)] = new DeclineLeadRequest(DeclineReason.NotAFit, "We do not serve retail"),
        [typeof(MarkLeadWonRequest)] = new MarkLeadWonRequest(new MoneyInput(11500.00m, "EUR"), new DateOnly(2027, 1, 20), "Signed"),
        [typeof(MarkLeadLostRequest)] = new MarkLeadLostRequest(LostReason.Competitor, "Chose a local firm"),
        // A patch holds only what it changes: here the value, and null to clear the notes.
        [typeof(EditDealRequest)] = new EditDealRequest { EstimatedValue = new MoneyInput(15000.00m, "EUR"), Notes = null },
        [typeof(TeamMemberInput)] = new TeamMemberInput("Sam Shaw", "+351 21 000 0002", "sam@contoso.example"),
        [typeof(ImportLeadsRequest)] = new ImportLeadsRequest([.. BatchLeads.Select(l => JsonSerializer.SerializeToElement(l, Json))]),
        // API keys and onboarding
        [typeof(CreateApiKeyRequest)] = new CreateApiKeyRequest("CRM sync", [Roles.ReferralsAdmin], At("2027-06-30T00:00:00Z")),
        [typeof(OnboardPartnerRequest)] = new OnboardPartnerRequest("Contoso"),
        [typeof(OnboardSenderRequest)] = new OnboardSenderRequest("Platform Marketing", SenderKind.PlatformMarketing),
        // Business profiles: keywords as typed; the answer shows them normalized.
        [typeof(UpdateProfileRequest)] = new UpdateProfileRequest(
            ["Microsoft 365", "Teams", "Exchange  migration"], ["Retail", "logistics"], [CompanySize.Small, CompanySize.Medium],
            [BusinessModel.ProjectServices, BusinessModel.ManagedServices], [LeadType.CustomerInquiry, LeadType.MarketingQualified],
            ["pt-PT", "en"],
            [new LocationInput("Lisbon office", "PT", "Lisboa", "Lisbon", new CoordinatesInput(38.7223m, -9.1393m), 150,
                new NotificationContactInput("Li Wei", "li@contoso.example", "+351 21 000 0001"))],
            WeeklyCapacity: 20, Pause: null),
        [typeof(FindMatchesRequest)] = MatchRequest,
    };


    // A partner's scorecard (issue 12): 40 leads in the last 30 days, 31 the 30 days before.
    private static readonly Partners.ScorecardResponse Scorecard = new(PartnerId, "30d",
        new Partners.ScorecardPeriod(At("2026-10-25T12:00:00Z"), At("2026-11-24T12:00:00Z"),
            new Partners.ScorecardLeadCounts(40, new Partners.StatusCounts(5, 9, 6, 4, 12, 4), new Partners.TypeCounts(22, 10, 8)),
            new Partners.ScorecardResponseTimes(31, 14400.0, 108000.0, 38, 21, 35, 27),
            new Partners.ScorecardRates(19.0 / 31, 4.0 / 35, 0.6, 21.0 / 38, 27.0 / 35),
            [new(DeclineReason.NotAFit, 7), new(DeclineReason.InsufficientInformation, 2), new(DeclineReason.CustomerUnreachable, 1),
             new(DeclineReason.Duplicate, 1), new(DeclineReason.OutsideServiceArea, 1), new(DeclineReason.Other, 0)],
            [new(LostReason.Competitor, 2), new(LostReason.NoBudget, 1), new(LostReason.NoDecision, 1), new(LostReason.CustomerUnresponsive, 0), new(LostReason.Other, 0)],
            [new("EUR", 16, 12400.00m, 5, 11800.00m), new("USD", 3, 9000.00m, 1, 8500.00m)]),
        new Partners.ScorecardPeriod(At("2026-09-25T12:00:00Z"), At("2026-10-25T12:00:00Z"),
            new Partners.ScorecardLeadCounts(31, new Partners.StatusCounts(0, 6, 5, 5, 9, 6), new Partners.TypeCounts(18, 7, 6)),
            new Partners.ScorecardResponseTimes(25, 25200.0, 172800.0, 31, 12, 31, 20),
            new Partners.ScorecardRates(16.0 / 25, 6.0 / 31, 0.5, 12.0 / 31, 20.0 / 31),
            [new(DeclineReason.NotAFit, 5), new(DeclineReason.InsufficientInformation, 2), new(DeclineReason.CustomerUnreachable, 1),
             new(DeclineReason.Duplicate, 0), new(DeclineReason.OutsideServiceArea, 1), new(DeclineReason.Other, 0)],
            [new(LostReason.Competitor, 3), new(LostReason.NoBudget, 2), new(LostReason.NoDecision, 0), new(LostReason.CustomerUnresponsive, 0), new(LostReason.Other, 0)],
            [new("EUR", 16, 10900.00m, 5, 10250.00m)]));

    private static readonly Dictionary<Type, object> Responses = new()
    {
        [typeof(LeadResponse)] = Lead,
        [typeof(LeadPage)] = new LeadPage([Lead], NextLink),
        [typeof(SenderLeadResponse)] = SenderLead,
        [typeof(SenderLeadPage)] = new SenderLeadPage([SenderLead], NextLink),
        [typeof(SenderTimelineResponse)] = new SenderTimelineResponse(
        [
            new(Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ac"), LeadChangeKind.Received, At("2026-11-24T10:00:00Z"), ActorKind.Sender, null, LeadStatus.Received, []),
            new(Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ae"), LeadChangeKind.Accepted, At("2026-11-24T12:00:00Z"), ActorKind.User, LeadStatus.Received, LeadStatus.Accepted, []),
            new(Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72af"), LeadChangeKind.Won, At("2027-01-20T16:00:00Z"), ActorKind.User, LeadStatus.Accepted, LeadStatus.Won,
                [new FieldChange("closedOn", null, "2027-01-20")]),
        ]),
        [typeof(LeadSummary)] = new LeadSummary(new StageCounts(3, 1, 7), new StageCounts(2, 4, 12), new StageCounts(1, 1, 0)),
        [typeof(TimelineResponse)] = new TimelineResponse(
        [
            new(Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ac"), LeadChangeKind.Received, At("2026-11-24T10:00:00Z"),
                new Actor(ActorKind.Sender, "0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a12", "Marketplace"), null, LeadStatus.Received, []),
            new(Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72ad"), LeadChangeKind.DealEdited, At("2026-11-25T09:30:00Z"),
                new Actor(ActorKind.User, "01a21548-651c-7859-8534-884124113b99", "Rita Referrals"), LeadStatus.Accepted, LeadStatus.Accepted,
                [new FieldChange("estimatedValue", "12000.00 EUR", "15000.00 EUR")]),
        ]),
        [typeof(TeamMember)] = SamShaw,
        [typeof(WebhookResponse)] = Webhook,
        [typeof(WebhookList)] = new WebhookList([Webhook with { Secret = null }]),
        [typeof(DeliveryResponse)] = Delivery,
        [typeof(DeliveryPage)] = new DeliveryPage([Delivery], $"/v1/webhooks/{WebhookId}/deliveries?limit=1&cursor=eyJDcmVhdGVkQXQiOiIyMDI2In0"),
        [typeof(ReplayResult)] = new ReplayResult(12),
        [typeof(ImportLeadsResponse)] = new ImportLeadsResponse(
        [
            new LeadImportCreated(0, SenderLead with
            {
                Id = ImportedLeadId, Type = LeadType.MarketingQualified, Status = LeadStatus.Received, Stage = LeadStage.Received,
                Customer = new Customer("Northwind Traders", "Rui Costa", "rui@northwind.example", "+351 22 000 0000", "PT", CompanySize.Medium, "logistics"),
                Need = "Replace the on-premises file server", ExternalId = "mkt-124", ContactRequest = new ContactRequest(false, null, null),
                ReceivedAt = At("2026-11-24T10:00:00Z"), RespondBy = At("2026-12-08T10:00:00Z"), AcceptedAt = null, ClosedAt = null,
                UpdatedAt = At("2026-11-24T10:00:00Z"), Outcome = null, ETag = "\"7360\"",
            }, $"/v1/leads/{ImportedLeadId}"),
            new LeadImportReplayed(1, SenderLead, $"/v1/leads/{LeadId}"),
            new LeadImportFailed(2, 400, Problem(
                "validation-failed", "The request is not valid", 400, "1 field(s) are not valid: partnerId.", "/v1/leads/batch#/leads/2") with
            {
                Errors = new Dictionary<string, string[]> { ["partnerId"] = ["No partner with this id."] },
            }),
        ]),
        [typeof(EventPage)] = new EventPage([AcceptedEvent], "eyJUcmFuc2FjdGlvbklkIjo3MzAsIlNlcXVlbmNlIjoxMH0",
            "/v1/events?after=eyJUcmFuc2FjdGlvbklkIjo3MzAsIlNlcXVlbmNlIjoxMH0&limit=100", HasMore: false),
        // Business profiles
        [typeof(PartnerProfileResponse)] = Profile,
        [typeof(ProfileTimelineResponse)] = new ProfileTimelineResponse(
        [
            new(Guid.Parse("01a21546-1e3b-7095-9e9f-614eaf3c72c1"), At("2026-11-24T12:00:00Z"),
                new Actor(ActorKind.User, "01a2316b-7f1e-74f2-8a58-e39628f25c01", "admin"), 3,
                [new FieldChange("weeklyCapacity", "10", "20"), new FieldChange("expertiseKeywords", "[\"microsoft 365\",\"teams\"]", "[\"microsoft 365\",\"teams\",\"exchange migration\"]")]),
        ]),
        // API keys and onboarding
        [typeof(ApiKeyResponse)] = NewApiKey,
        [typeof(ApiKeyPage)] = new ApiKeyPage(
            [AdminKey, NewApiKey with { Secret = null, LastUsedAt = At("2026-11-24T12:03:00Z") }],
            "/v1/api-keys?limit=2&cursor=eyJJZCI6IjAxYTIzMTZiLTdmMWUtNzRmMi04YTU4LWUzOTYyOGYyNWIwMiJ9"),
        [typeof(OnboardedPartner)] = new OnboardedPartner(PartnerId, "Contoso", At("2026-11-24T09:00:00Z"), AdminKey with { Secret = AdminSecret, LastUsedAt = null }),
        [typeof(OnboardedSender)] = new OnboardedSender(
            Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a13"), "Platform Marketing", SenderKind.PlatformMarketing, At("2026-11-24T09:05:00Z"),
            AdminKey with
            {
                Id = Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25b03"), Name = "Platform Marketing", Roles = [Roles.Sender],
                UserId = Guid.Parse("01a2316b-7f1e-74f2-8a58-e39628f25c03"), Prefix = "lak_Q7wLm2Xc", CreatedAt = At("2026-11-24T09:05:00Z"),
                LastUsedAt = null, Secret = "lak_Q7wLm2Xc0bN4vR8tY1uI5oP9aS3dF6gH2jK7lZ0xC4v",
            }),
        [typeof(Partners.ScorecardResponse)] = Scorecard,
        [typeof(MatchesResponse)] = Matches(),
    };



    private const string AcceptPath = "/v1/leads/01a21546-1e3b-7095-9e9f-614eaf3c72ab/accept";

    private static readonly Dictionary<string, Problem> Problems = new()
    {
        ["400"] = Problem(
            "validation-failed", "The request is not valid", 400, "2 field(s) are not valid: dealName, estimatedValue.currency.", AcceptPath) with
        {
            Errors = new Dictionary<string, string[]> { ["dealName"] = ["Required."], ["estimatedValue.currency"] = ["Not an ISO 4217 currency code, e.g. EUR or USD."] },
        },
        ["401"] = Problem("unauthenticated", "An API key or token is required", 401, "Send your API key as 'Authorization: Bearer <api key>'.", "/v1/leads"),
        ["403"] = Problem(
            "forbidden", "Your key may not do this", 403,
            "The key (or token) is valid but its roles do not allow this call: readers can read, referrals and partner admins act on leads, senders create leads, partner admins and senders manage webhooks.",
            AcceptPath),
        ["404"] = Problem(
            "lead-not-found", "The lead does not exist", 404, $"No lead with id {LeadId} is visible to your key.", $"/v1/leads/{LeadId}"),
        ["409"] = Problem(
            "invalid-transition", "The lead's status does not allow this action", 409,
            "Cannot decline the lead: the lead is accepted; allowed now: edit, addTeamMember, removeTeamMember, markWon, markLost.",
            $"/v1/leads/{LeadId}/decline") with
        {
            CurrentStatus = LeadStatus.Accepted,
            AllowedActions = Lead.AllowedActions,
        },
        ["410"] = Problem(
            "cursor-expired", "The change feed cursor is too old", 410,
            "The cursor is older than the 30 days events are kept, so events after it may be gone. Sync the leads again (GET /v1/leads?updatedSince=...), then read the feed from a new cursor.",
            "/v1/events"),
        ["412"] = Problem(
            "precondition-failed", "The lead has changed since you read it", 412,
            "The If-Match header does not match the lead's current ETag; read the lead again.", AcceptPath) with
        {
            CurrentETag = "\"7343\"",
        },
        ["422"] = Problem(
            "idempotency-key-reused", "The Idempotency-Key was used for another request", 422,
            "This Idempotency-Key was used for another request (another method, path or body); use a new key for a new request.", AcceptPath),
        ["413"] = Problem("payload-too-large", "The request body is too large", 413, "Request bodies are limited to 64 KiB.", "/v1/leads"),
        ["415"] = Problem(
            "unsupported-media-type", "The body must be JSON", 415,
            "Send the body with 'Content-Type: application/json' (or application/merge-patch+json for PATCH).", AcceptPath),
        ["429"] = Problem(
            "rate-limited", "Too many requests", 429,
            "Your key (or sign-in) has spent the 'writes' budget: 100 requests at once, then 20 a second. Retry after 1 s; nothing was changed.",
            AcceptPath),
        ["503"] = Problem(
            "service-unavailable", "The service is busy", 503,
            "The service cannot answer right now; nothing was changed. Retry after the seconds in Retry-After.", "/v1/leads"),
    };

    public static JsonNode? ForRequest(Type? type) => type is not null && Requests.TryGetValue(type, out var value) ? Write(value) : null;

    public static JsonNode? ForResponse(Type? type) => type is not null && Responses.TryGetValue(type, out var value) ? Write(value) : null;

    /// <summary>Who gets a body of this type, for the names of the examples of a call that answers per caller.</summary>
    public static string Audience(Type type) =>
        SenderBodies.Contains(type) ? "As the lead's sender reads it" : "As the partner's users read it";

    private static readonly HashSet<Type> SenderBodies = [typeof(SenderLeadResponse), typeof(SenderLeadPage), typeof(SenderTimelineResponse)];

    public static JsonNode? Problem(string status) => Problems.TryGetValue(status, out var problem) ? Write(problem) : null;

    private static Problem Problem(string code, string title, int status, string detail, string instance) =>
        new($"/problems/{code}", title, status, detail, instance, code, null, null, null, null, null, null);

    private static JsonNode Write(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), Json)!;

    private static DateTimeOffset At(string timestamp) => DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture);

    private static JsonSerializerOptions ApiJson()
    {
        var options = new JsonSerializerOptions();
        HttpExtensions.Configure(options);
        // The server never writes a patch; an example of one shows what a client sends.
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver().WithAddedModifier(MergePatch.WriteHeldMembersOnly);
        return options;
    }
}
