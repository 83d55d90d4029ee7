using System.Reflection;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Partners;
using LeadsApi.Problems;

namespace LeadsApi.Limits;

/// <summary>
/// Every limit a request field keeps, each defined once: request validation checks these, the EF
/// configurations size their columns from them and the OpenAPI document publishes them.
/// </summary>
public static class FieldLimits
{
    /// <summary>The largest request body the server reads (Kestrel answers 413 beyond it).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly TextLimit CompanyName = TextLimit.Line(200, required: true);
    public static readonly TextLimit ContactName = TextLimit.Line(200, required: true);
    public static readonly TextLimit Email = new(254, TextPattern.Email);
    public static readonly TextLimit Phone = new(40, TextPattern.Phone);
    public static readonly TextLimit Industry = TextLimit.Line(200);

    public static readonly CodeLimit Country = new(IsoCodes.Countries, "CountryCode",
        "An officially assigned ISO 3166-1 alpha-2 country code, in upper case.",
        "Not an ISO 3166-1 alpha-2 country code, e.g. PT or DE.");

    public static readonly TextLimit Need = TextLimit.Paragraphs(4000, required: true);
    public static readonly TextLimit CampaignId = TextLimit.Line(100);
    public static readonly TextLimit ExternalId = TextLimit.Line(100);

    public static readonly TextLimit DealName = TextLimit.Line(200, required: true);
    public static readonly TextLimit CrmId = TextLimit.Line(100);

    /// <summary>The notes of a deal, a decline, a win and a loss.</summary>
    public static readonly TextLimit Notes = TextLimit.Paragraphs(4000);

    /// <summary>Four decimals: some currencies have three (KWD), and rates are quoted with four.</summary>
    public static readonly AmountLimit Amount = new(0m, 1_000_000_000_000m, 4, Required: true);

    public static readonly CodeLimit Currency = new(IsoCodes.Currencies, "CurrencyCode",
        "An active ISO 4217 currency code, in upper case.",
        "Not an ISO 4217 currency code, e.g. EUR or USD.", Required: true);

    /// <summary>
    /// The members that must be given and whose JSON type says the rest: the partner and type of a new lead, its
    /// customer, a deal's value and close date, a win's value and day, the reason of a decline or a loss.
    /// </summary>
    public static readonly PresenceLimit Given = new();

    /// <summary>The contacts given on accept become the deal's team, so they share its size.</summary>
    public static readonly CountLimit Contacts = new(Lead.MaxTeamMembers, "contacts");

    public static readonly TextLimit TeamMemberName = TextLimit.Line(200, required: true);

    /// <summary>
    /// The largest body of a batch of leads (POST /v1/leads/batch): 100 leads of about 10 KiB each. A batch that holds
    /// longer leads is split.
    /// </summary>
    public const int MaxBatchBodyBytes = 1024 * 1024;

    /// <summary>The leads of one batch import: each is its own create, so a batch is bounded like a page of a list.</summary>
    public static readonly CountLimit BatchLeads = new(100, "leads", MinItems: 1, Required: true);

    /// <summary>The <c>q</c> of the lead list.</summary>
    public static readonly TextLimit SearchText = TextLimit.Line(200);

    /// <summary>The <c>limit</c> of the lead list.</summary>
    public static readonly RangeLimit PageSize = new(1, 200, 50);

    /// <summary>A webhook's URL: https, public (the SSRF guard checks where it goes).</summary>
    /// <summary>An <c>Idempotency-Key</c> header: one line, like a UUID; its column is this wide.</summary>
    public static readonly TextLimit IdempotencyKey = TextLimit.Line(255, required: true);

    public static readonly TextLimit WebhookUrl = TextLimit.Line(2000, required: true);

    public static readonly TextLimit WebhookDescription = TextLimit.Line(500);

    public static readonly CodeLimit EventType = new(Events.EventTypes.All.ToHashSet(StringComparer.Ordinal), "EventType",
        "An event type a webhook can subscribe to.",
        $"Not an event type; one of {string.Join(", ", Events.EventTypes.All)}.");

    /// <summary>A webhook's event-type filter names each type at most once.</summary>
    public static readonly CodeListLimit WebhookEventTypes = new(EventType, "event types");

    /// <summary>The <c>limit</c> of the change feed.</summary>
    public static readonly RangeLimit EventPageSize = new(1, 200, 100);

    /// <summary>The <c>limit</c> of a webhook's delivery log.</summary>
    public static readonly RangeLimit DeliveryPageSize = new(1, 200, 50);

    /// <summary>The names of partners, senders and key users, which operators give on the command line.</summary>
    public static readonly TextLimit AccountName = TextLimit.Line(200, required: true);

    // API keys over HTTP and onboarding (issue 11): the names are AccountName, as the key's user's column is.

    public static readonly CodeLimit PartnerRole = new(Identity.Roles.OfPartnerUsers, "PartnerRole",
        "A role of a partner's key: partnerAdmin (everything, API keys and webhooks included), referralsAdmin (acts on leads), referralsReader (reads and stars).",
        $"Not a role a partner's key can have; one of {string.Join(", ", Identity.Roles.OfPartnerUsers)}.");

    /// <summary>The roles of a new key: at least one, each once.</summary>
    public static readonly CodeListLimit ApiKeyRoles = new(PartnerRole, "roles", Required: true);

    /// <summary>How far ahead a key's <c>expiresAt</c> may be: keys for good are made without one.</summary>
    public static readonly FutureTimeLimit ApiKeyExpiry = new(TimeSpan.FromDays(730));

    /// <summary>The <c>limit</c> of the list of API keys.</summary>
    public static readonly RangeLimit ApiKeyPageSize = new(1, 200, 50);

    /// <summary>The <c>window</c> of a partner's scorecard: the days before now whose leads it counts (issue 12).</summary>
    public static readonly DayWindowLimit ScorecardWindow = new(1, 365, 90);
    // Business profiles (issue 12, item 1): GET/PUT /v1/partners/me/profile.

    /// <summary>One expertise keyword, stored normalized (trimmed, lower case, single spaces).</summary>
    public static readonly TextLimit ExpertiseKeyword = TextLimit.Line(50, required: true);

    public static readonly TextListLimit ExpertiseKeywords = new(PartnerProfile.MaxKeywords, ExpertiseKeyword, "keywords");

    /// <summary>An industry served, normalized as keywords are; as long as a lead's customer industry may be.</summary>
    public static readonly TextLimit ServedIndustry = TextLimit.Line(Industry.MaxLength, required: true);

    public static readonly TextListLimit ServedIndustries = new(PartnerProfile.MaxIndustries, ServedIndustry, "industries");

    /// <summary>Sizes, models and types are enums, each kept once: a list holds at most as many as there are.</summary>
    public static readonly CountLimit CompanySizesServed = new(Enum.GetValues<CompanySize>().Length, "company sizes");

    public static readonly CountLimit BusinessModels = new(Enum.GetValues<BusinessModel>().Length, "business models");

    public static readonly CountLimit LeadTypesAccepted = new(Enum.GetValues<LeadType>().Length, "lead types");

    /// <summary>A BCP 47 language tag by its shape (language, optional script, region and variants), stored in its conventional case.</summary>
    public static readonly TextLimit LanguageTag = new(35, new TextPattern(
        "[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*",
        "A BCP 47 language tag such as pt, pt-PT or zh-Hant-TW (language, optional script, region and variants; no extensions)."), Required: true);

    public static readonly TextListLimit Languages = new(PartnerProfile.MaxLanguages, LanguageTag, "language tags");

    public static readonly CountLimit Locations = new(PartnerProfile.MaxLocations, "locations");

    public static readonly TextLimit LocationName = TextLimit.Line(200, required: true);

    public static readonly CodeLimit LocationCountry = new(IsoCodes.Countries, Country.SchemaName, Country.Description, Country.Message, Required: true);

    public static readonly TextLimit Region = TextLimit.Line(100);

    public static readonly TextLimit City = TextLimit.Line(100);

    /// <summary>Six decimals locate a door (about 0.1 m).</summary>
    public static readonly AmountLimit Latitude = new(-90m, 90m, 6, Required: true);

    public static readonly AmountLimit Longitude = new(-180m, 180m, 6, Required: true);

    /// <summary>Left out, the location serves its whole country.</summary>
    public static readonly WholeNumberLimit ServiceRadiusKm = new(1, 20_000);

    /// <summary>A location's notification contact must be reachable by email; the same address rule as every email.</summary>
    public static readonly TextLimit NotificationEmail = new(Email.MaxLength, Email.Pattern, Required: true);

    /// <summary>New leads a week; left out, unlimited; 0 takes none (as a pause does, but with no end).</summary>
    public static readonly WholeNumberLimit WeeklyCapacity = new(0, 100_000);

    /// <summary>A pause ends within a year: a partner gone for longer removes its profile's lead types instead.</summary>
    public static readonly FutureTimeLimit PauseUntil = new(TimeSpan.FromDays(366), Required: true);

    public static readonly TextLimit PauseReason = TextLimit.Line(500);

    // Matching (issue 12, item 3): POST /v1/matches and routing on create.

    /// <summary>A request's keywords: as many, and as long, as a profile's.</summary>
    public static readonly TextListLimit MatchKeywords = ExpertiseKeywords;

    /// <summary>A request's need text, as long as a lead's; optional when only matching.</summary>
    public static readonly TextLimit MatchNeed = TextLimit.Paragraphs(Need.MaxLength);

    /// <summary>The customer's country, which matching cannot do without.</summary>
    public static readonly CodeLimit MatchCountry = LocationCountry;

    /// <summary>The customer's language, one BCP 47 tag.</summary>
    public static readonly TextLimit MatchLanguage = new(LanguageTag.MaxLength, LanguageTag.Pattern);

    /// <summary>The customer's company name, for the same-customer exclusions.</summary>
    public static readonly TextLimit MatchCompanyName = TextLimit.Line(CompanyName.MaxLength);

    /// <summary>How many ranked (and how many excluded) partners a match answers.</summary>
    public static readonly RangeLimit MatchLimit = new(1, 100, 10);

    /// <summary>A lead names its partner, or lets routing choose one: never both, never neither.</summary>
    public static readonly AlternativeLimit PartnerOrRouting = new("routing");

    /// <summary>How many partners a routed lead may pass through: the first and up to this many re-routings in all.</summary>
    public static readonly WholeNumberLimit MaxHops = new(1, 10);

    /// <summary>Every limit by its name here, for <see cref="LimitAttribute"/> and the tests that walk them.</summary>
    public static IReadOnlyDictionary<string, FieldLimit> All { get; } = typeof(FieldLimits)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType.IsAssignableTo(typeof(FieldLimit)))
        .ToDictionary(f => f.Name, f => (FieldLimit)f.GetValue(null)!, StringComparer.Ordinal);

    public static FieldLimit Named(string name) =>
        All.TryGetValue(name, out var limit) ? limit : throw new ArgumentOutOfRangeException(nameof(name), name, "No field limit of this name.");
}
