using System.Globalization;
using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Matching;

/// <summary>
/// Scores partners against one customer request and ranks them: pure and deterministic, the same inputs give the same
/// ranking whatever their order. Every formula and constant here is written out in docs/matching.md, with a worked
/// example that <c>WorkedExampleTests</c> asserts.
/// </summary>
public static class MatchScoring
{
    /// <summary>What responsiveness and outcome fit start from with no history, and what a few leads are shrunk to.</summary>
    public const double NeutralPrior = 0.5;

    /// <summary>How many leads the prior counts as (the Bayesian average's pseudo-leads).</summary>
    public const double PriorStrength = 5;

    /// <summary>A median time to respond of this many hours or more scores 0 for speed; 0 hours scores 1.</summary>
    public const double ResponseHorizonHours = 72;

    /// <summary>This many words of the need found in the expertise (or all of them, if fewer) make a full need fit.</summary>
    public const int NeedWordsForFullFit = 3;

    /// <summary>Proximity of a location in the customer's country, in another region.</summary>
    public const double SameCountryProximity = 0.4;

    /// <summary>Proximity of a location in the customer's region, with the customer outside its radius.</summary>
    public const double SameRegionProximity = 0.7;

    /// <summary>Scores are rounded to this many decimals before they are compared, so equal partners tie.</summary>
    public const int ScoreDecimals = 6;

    /// <summary>A decline or expiry from the same customer this recent excludes the partner.</summary>
    public static readonly TimeSpan SameCustomerWindow = TimeSpan.FromDays(90);

    /// <summary>
    /// The words of the request that expertise is compared with: its keywords' words, then the need's (stop words, one-letter
    /// words and numbers left out), each once, lower case. A partner whose expertise has none of them scores 0 on both.
    /// </summary>
    public static IReadOnlyList<string> WordsOf(CustomerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RequestTerms(request.Keywords, request.Need).All;
    }

    /// <summary>The words of a profile's expertise keywords as the comparison splits them, each once, lower case.</summary>
    public static string[] ExpertiseWords(IEnumerable<string> expertiseKeywords)
    {
        ArgumentNullException.ThrowIfNull(expertiseKeywords);
        return RequestTerms.WordsOf(expertiseKeywords);
    }

    /// <summary>
    /// What identifies the request's customer for the same-customer exclusions: its email domain (null for a public
    /// mailbox provider) and its company name without case, punctuation and legal form (null when none is left).
    /// </summary>
    public static (string? EmailDomain, string? Company) CustomerOf(CustomerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var customer = new CustomerMatch(request.CustomerEmailDomain, request.CustomerCompany);
        return (customer.EmailDomain, customer.Company);
    }

    /// <summary>
    /// Ranks the candidates for the request at <paramref name="now"/>: the excluded ones apart with their reasons, the
    /// others by score, ties to the fewest leads in the last 7 days, then to the lower partner id. Explanations are
    /// written only for the first <paramref name="limit"/> ranked candidates (all when null).
    /// </summary>
    public static MatchResult Rank(
        CustomerRequest request,
        IEnumerable<MatchCandidate> candidates,
        MatchWeights weights,
        DateTimeOffset now,
        int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(weights);
        if (limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be at least 1.");
        }

        var problems = weights.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(weights));
        }

        var prepared = new PreparedRequest(request, now);
        var scored = new List<(MatchCandidate Candidate, double Score)>();
        var excluded = new List<ExcludedCandidate>();
        foreach (var candidate in candidates)
        {
            var reasons = Exclusions(candidate, prepared);
            if (reasons is not null)
            {
                excluded.Add(new ExcludedCandidate(candidate.PartnerId, candidate.Name, reasons));
                continue;
            }

            scored.Add((candidate, Evaluate(candidate, prepared, weights, null)));
        }

        scored.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            var byLoad = a.Candidate.LeadsLast7Days.CompareTo(b.Candidate.LeadsLast7Days);
            return byLoad != 0 ? byLoad : a.Candidate.PartnerId.CompareTo(b.Candidate.PartnerId);
        });
        excluded.Sort(static (a, b) => a.PartnerId.CompareTo(b.PartnerId));

        var count = Math.Min(scored.Count, limit ?? int.MaxValue);
        var ranked = new List<RankedCandidate>(count);
        for (var i = 0; i < count; i++)
        {
            var (candidate, score) = scored[i];
            var components = new List<MatchComponent>(5);
            Evaluate(candidate, prepared, weights, components);
            ranked.Add(new RankedCandidate(candidate.PartnerId, candidate.Name, i + 1, score, candidate.LeadsLast7Days, components));
        }

        return new MatchResult(ranked, scored.Count, excluded);
    }

    /// <summary>The weighted mean of the components, rounded; writes the components when <paramref name="explained"/> is given.</summary>
    private static double Evaluate(MatchCandidate candidate, PreparedRequest request, MatchWeights weights, List<MatchComponent>? explained)
    {
        var explain = explained is not null;
        var (profile, profileWhy) = ProfileFit(candidate, request, explain);
        var (proximity, proximityWhy) = Proximity(candidate, request.Request, explain);
        var (responsiveness, responsivenessWhy) = Responsiveness(candidate.History, explain);
        var (outcome, outcomeWhy) = OutcomeFit(candidate.History, explain);
        var (capacity, capacityWhy) = Capacity(candidate, explain);
        if (explained is not null)
        {
            explained.Add(new MatchComponent(MatchComponentKind.ProfileFit, profile, weights.ProfileFit, profileWhy!));
            explained.Add(new MatchComponent(MatchComponentKind.Proximity, proximity, weights.Proximity, proximityWhy!));
            explained.Add(new MatchComponent(MatchComponentKind.Responsiveness, responsiveness, weights.Responsiveness, responsivenessWhy!));
            explained.Add(new MatchComponent(MatchComponentKind.OutcomeFit, outcome, weights.OutcomeFit, outcomeWhy!));
            explained.Add(new MatchComponent(MatchComponentKind.Capacity, capacity, weights.Capacity, capacityWhy!));
        }

        var sum = (weights.ProfileFit * profile) + (weights.Proximity * proximity) + (weights.Responsiveness * responsiveness)
            + (weights.OutcomeFit * outcome) + (weights.Capacity * capacity);
        return Math.Clamp(Math.Round(sum / weights.Sum, ScoreDecimals, MidpointRounding.AwayFromZero), 0, 1);
    }

    /// <summary>The reasons that keep the candidate out; null (and nothing allocated) when there are none.</summary>
    private static List<Exclusion>? Exclusions(MatchCandidate candidate, PreparedRequest request)
    {
        List<Exclusion>? reasons = null;
        if (candidate.PausedUntil is { } pausedUntil && pausedUntil > request.Now)
        {
            Add(ExclusionReason.Paused, F($"Paused until {pausedUntil.UtcDateTime:yyyy-MM-dd HH:mm} UTC."));
        }

        if (candidate.WeeklyCapacity is { } capacity && Math.Max(0, candidate.LeadsThisWeek) >= capacity)
        {
            Add(ExclusionReason.AtCapacity, F($"At capacity: {candidate.LeadsThisWeek} new leads this week, capacity {capacity}."));
        }

        if (!Contains(candidate.LeadTypesAccepted, request.Request.LeadType))
        {
            Add(ExclusionReason.LeadTypeNotAccepted, $"Does not take {Camel(request.Request.LeadType)} leads.");
        }

        if (candidate.RecentAnswers.Count > 0 && !request.Customer.IsEmpty)
        {
            SameCustomer(RecentAnswerKind.Declined, ExclusionReason.DeclinedSameCustomer, "Declined");
            SameCustomer(RecentAnswerKind.Expired, ExclusionReason.ExpiredSameCustomer, "Let expire");
        }

        return reasons;

        void Add(ExclusionReason reason, string explanation) => (reasons ??= []).Add(new Exclusion(reason, explanation));

        // The most recent such answer names the reason; one reason per kind however many leads there were.
        void SameCustomer(RecentAnswerKind kind, ExclusionReason reason, string verb)
        {
            RecentAnswer? latest = null;
            string? shared = null;
            for (var i = 0; i < candidate.RecentAnswers.Count; i++)
            {
                var answer = candidate.RecentAnswers[i];
                if (answer.Kind != kind || answer.At <= request.Now - SameCustomerWindow || (latest is not null && answer.At <= latest.At))
                {
                    continue;
                }

                if (request.Customer.SharedWith(answer) is { } with)
                {
                    latest = answer;
                    shared = with;
                }
            }

            if (latest is not null)
            {
                Add(reason, F($"{verb} a lead from the same customer ({shared}) on {latest.At.UtcDateTime:yyyy-MM-dd}, within the last 90 days."));
            }
        }
    }

    /// <summary>The mean of the criteria the request names: keywords, need words, industry, size, business model, language.</summary>
    private static (double Value, string? Why) ProfileFit(MatchCandidate candidate, PreparedRequest request, bool explain)
    {
        var terms = request.Terms;
        var criteria = 0;
        var sum = 0.0;
        var parts = explain ? new List<string>() : null;
        if (terms.Count > 0)
        {
            Span<bool> matched = terms.Count <= 256 ? stackalloc bool[terms.Count] : new bool[terms.Count];
            terms.Mark(candidate.ExpertiseKeywords, matched);
            if (terms.KeywordCount > 0)
            {
                var hits = matched[..terms.KeywordCount].Count(true);
                criteria++;
                sum += (double)hits / terms.KeywordCount;
                parts?.Add(F($"{hits} of {terms.KeywordCount} keywords in its expertise{Listed(terms, matched, 0, terms.KeywordCount)}"));
            }

            if (terms.NeedCount > 0)
            {
                var hits = matched[terms.KeywordCount..].Count(true);
                criteria++;
                sum += Math.Min(1.0, (double)hits / Math.Min(terms.NeedCount, NeedWordsForFullFit));
                parts?.Add(F($"{hits} of {terms.NeedCount} words of the need in its expertise{Listed(terms, matched, terms.KeywordCount, terms.Count)}"));
            }
        }

        // The sentences are written only when explaining: building them for every candidate would cost more than scoring.
        var r = request.Request;
        if (r.Industry is { } industry)
        {
            var met = ContainsText(candidate.Industries, industry);
            Criterion(met);
            parts?.Add(met ? $"serves the {industry} industry" : $"does not list the {industry} industry");
        }

        if (r.CompanySize is { } size)
        {
            var met = Contains(candidate.CompanySizes, size);
            Criterion(met);
            parts?.Add(met ? $"serves {Camel(size)} companies" : $"does not serve {Camel(size)} companies");
        }

        if (r.BusinessModel is { } model)
        {
            var met = ContainsText(candidate.BusinessModels, model);
            Criterion(met);
            parts?.Add(met ? $"offers {model}" : $"does not offer {model}");
        }

        if (r.Language is { } language)
        {
            var met = Speaks(candidate.Languages, language);
            Criterion(met);
            parts?.Add(met ? $"speaks {language}" : $"does not speak {language}");
        }

        if (criteria == 0)
        {
            return (NeutralPrior, explain ? F($"The request names nothing to compare with the profile: the neutral {NeutralPrior}.") : null);
        }

        var value = sum / criteria;
        return (value, explain
            ? F($"Profile fit {value:0.###}, the mean of {criteria} criteria: {string.Join("; ", parts!)}; takes {Camel(r.LeadType)} leads.")
            : null);

        void Criterion(bool met)
        {
            criteria++;
            sum += met ? 1 : 0;
        }
    }

    /// <summary>The best of the partner's locations: within its radius 1, same city (not measurable) 1, region 0.7, country 0.4, else 0.</summary>
    private static (double Value, string? Why) Proximity(MatchCandidate candidate, CustomerRequest request, bool explain)
    {
        var best = 0.0;
        var bestIndex = -1;
        var bestDistance = (double?)null;
        for (var i = 0; i < candidate.Locations.Count; i++)
        {
            var location = candidate.Locations[i];
            var (value, distance) = LocationProximity(location, request, explain);
            if (value > best)
            {
                (best, bestIndex, bestDistance) = (value, i, distance);
            }
        }

        if (!explain)
        {
            return (best, null);
        }

        if (bestIndex < 0)
        {
            return (0, candidate.Locations.Count == 0
                ? "The profile lists no location."
                : $"No location in the customer's country ({request.Country}) or within reach of the customer.");
        }

        var at = candidate.Locations[bestIndex];
        var label = Label(at);
        var outside = bestDistance is { } d && at.ServiceRadiusKm is { } r
            ? F($", {d:0.0} km from the customer, outside its {r:0.#} km radius")
            : "";
        return (best, best switch
        {
            1 when bestDistance is { } km => F($"The customer is {km:0.0} km from {label}, within its {at.ServiceRadiusKm:0.#} km service radius."),
            1 => $"{label} is in the customer's city, {request.City}.",
            SameRegionProximity => $"{label} is in the customer's region, {request.Region}{outside}.",
            _ => $"{label} is in the customer's country, {request.Country}, in another region{outside}.",
        });
    }

    private static (double Value, double? DistanceKm) LocationProximity(CandidateLocation location, CustomerRequest request, bool explain)
    {
        var measured = false;
        double? distance = null;
        if (request.Coordinates is { } customer && location.Coordinates is { } office && location.ServiceRadiusKm is { } radius)
        {
            measured = true;
            // The great-circle distance is at least the difference in latitude: that rules most far locations out
            // without trigonometry. The explanation names the distance, so it is computed then.
            if (explain || LatitudeGapKm(office, customer) <= radius + 1e-6)
            {
                distance = office.DistanceKmTo(customer);
                // Within the radius counts across a border too: a partner near one serves both sides of it.
                if (distance <= radius)
                {
                    return (1, distance);
                }
            }
        }

        if (!SameText(location.Country, request.Country))
        {
            return (0, distance);
        }

        if (!measured && request.City is not null && SameText(location.City, request.City))
        {
            return (1, null);
        }

        return (request.Region is not null && SameText(location.Region, request.Region) ? SameRegionProximity : SameCountryProximity, distance);
    }

    private static double LatitudeGapKm(GeoPoint a, GeoPoint b) =>
        Math.Abs(a.Latitude - b.Latitude) * (Math.PI / 180.0) * GeoPoint.EarthRadiusKm;

    /// <summary>Speed, answers within 24 h and leads not expired, averaged, then shrunk toward the prior by the sample size.</summary>
    private static (double Value, string? Why) Responsiveness(CandidateHistory history, bool explain)
    {
        var n = Math.Max(0, history.ResolvedLeads);
        if (n == 0)
        {
            return (NeutralPrior, explain ? F($"No answered or expired leads yet: the neutral prior {NeutralPrior}.") : null);
        }

        var speed = history.MedianHoursToRespond is { } median ? Rate(1 - (median / ResponseHorizonHours)) : 0;
        var within24h = Rate(history.AnsweredWithin24hShare);
        var expired = Rate(history.ExpiryRate);
        var raw = (speed + within24h + (1 - expired)) / 3;
        var value = Shrunk(raw, n);
        if (!explain)
        {
            return (value, null);
        }

        var medianText = history.MedianHoursToRespond is { } m ? F($"median answer in {m:0.#} h") : "nothing answered";
        return (value, F($"From {n} leads: {medianText}, {Percent(within24h)} answered within 24 h, {Percent(expired)} expired; {raw:0.###} shrunk toward {NeutralPrior} gives {value:0.###}."));
    }

    /// <summary>Acceptance and win rates on similar past leads, each shrunk toward the prior by its sample size, averaged.</summary>
    private static (double Value, string? Why) OutcomeFit(CandidateHistory history, bool explain)
    {
        var offered = Math.Max(0, history.SimilarLeads);
        var closed = Math.Max(0, history.SimilarClosedLeads);
        var acceptance = Shrunk(Rate(history.SimilarAcceptanceRate), offered);
        var win = Shrunk(Rate(history.SimilarWinRate), closed);
        var value = (acceptance + win) / 2;
        if (!explain)
        {
            return (value, null);
        }

        if (offered == 0 && closed == 0)
        {
            return (value, F($"No similar past leads yet: the neutral prior {NeutralPrior}."));
        }

        return (value, F($"On similar past leads: accepted {Percent(history.SimilarAcceptanceRate)} of {offered} ({acceptance:0.###} after the prior), won {Percent(history.SimilarWinRate)} of {closed} closed ({win:0.###} after the prior)."));
    }

    /// <summary>The share of the weekly capacity still open; the prior when the profile states no capacity.</summary>
    private static (double Value, string? Why) Capacity(MatchCandidate candidate, bool explain)
    {
        if (candidate.WeeklyCapacity is not { } capacity)
        {
            return (NeutralPrior, explain ? F($"No weekly capacity stated: the neutral {NeutralPrior}.") : null);
        }

        // Only called for candidates not at capacity, so capacity > 0 here.
        var open = capacity - Math.Max(0, candidate.LeadsThisWeek);
        var value = (double)open / capacity;
        return (value, explain ? F($"{open} of {capacity} new leads this week still open.") : null);
    }

    /// <summary>A share in [0, 1]; what is not a number counts as 0, so a bad figure can only lower a partner.</summary>
    private static double Rate(double share) => double.IsFinite(share) ? Math.Clamp(share, 0, 1) : 0;

    /// <summary>The Bayesian average: the prior counts as <see cref="PriorStrength"/> leads beside the partner's own.</summary>
    private static double Shrunk(double rate, int sample) =>
        ((sample * rate) + (PriorStrength * NeutralPrior)) / (sample + PriorStrength);

    private static bool Speaks(IReadOnlyList<string> languages, string language)
    {
        // "pt-PT" and "pt-BR" customers are served by a partner that speaks "pt", and the other way round.
        var wanted = Primary(language);
        for (var i = 0; i < languages.Count; i++)
        {
            if (Primary(languages[i]).Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;

        static ReadOnlySpan<char> Primary(string tag)
        {
            var span = tag.AsSpan().Trim();
            var dash = span.IndexOfAny('-', '_');
            return dash < 0 ? span : span[..dash];
        }
    }

    private static string Listed(RequestTerms terms, ReadOnlySpan<bool> matched, int from, int to)
    {
        var words = new List<string>();
        for (var i = from; i < to; i++)
        {
            if (matched[i])
            {
                words.Add(terms[i]);
            }
        }

        return words.Count == 0 ? "" : $" ({string.Join(", ", words)})";
    }

    private static string Label(CandidateLocation location) =>
        !string.IsNullOrWhiteSpace(location.Name) ? location.Name : location.City ?? location.Region ?? location.Country;

    private static bool Contains<T>(IReadOnlyList<T> values, T value)
        where T : struct, Enum
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(values[i], value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsText(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (SameText(values[i], value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameText(string? a, string? b) =>
        a is not null && b is not null && a.AsSpan().Trim().Equals(b.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Camel<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(name[..1].ToLowerInvariant(), name.AsSpan(1));
    }

    private static string Percent(double share) => F($"{Rate(share) * 100:0.#}%");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>What is computed from the request once, not once per candidate.</summary>
    private sealed class PreparedRequest(CustomerRequest request, DateTimeOffset now)
    {
        public CustomerRequest Request { get; } = request;

        public DateTimeOffset Now { get; } = now;

        public RequestTerms Terms { get; } = new(request.Keywords, request.Need);

        public CustomerMatch Customer { get; } = new(request.CustomerEmailDomain, request.CustomerCompany);
    }
}
