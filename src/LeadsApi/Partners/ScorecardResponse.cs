using LeadsApi.Domain.Leads;

namespace LeadsApi.Partners;

/// <summary>
/// How a partner answers its leads: the leads received in the window (the <c>window</c> days before now) and, for the
/// trend, the same figures for the window of the same length just before it. Statuses are as every reader sees them
/// now: a received lead past its respond-by time counts as expired at once.
/// </summary>
/// <param name="PartnerId">The partner the scorecard is about.</param>
/// <param name="Window">The window asked for, e.g. 90d.</param>
/// <param name="Current">The leads received from <c>window</c> days before now up to now.</param>
/// <param name="Previous">The leads received in the window of the same length that ends where <c>current</c> starts: compare the two for the trend.</param>
public sealed record ScorecardResponse(Guid PartnerId, string Window, ScorecardPeriod Current, ScorecardPeriod Previous);

/// <summary>The figures of the leads received in one window, by the time each lead was received.</summary>
/// <param name="From">The window's start (included).</param>
/// <param name="To">The window's end (excluded, except for the current window, which ends now and includes it).</param>
/// <param name="Leads">How many leads were received, per status and per type.</param>
/// <param name="TimeToRespond">How long the partner took from `receivedAt` to accepting or declining.</param>
/// <param name="Rates">Shares between 0 and 1, each null when its denominator is zero.</param>
/// <param name="DeclineReasons">Declined leads per reason, every reason listed (zero included).</param>
/// <param name="LostReasons">Lost leads per reason, every reason listed (zero included).</param>
/// <param name="Values">Deal values per currency, in currency order: amounts in different currencies are never averaged together. Empty when no lead was accepted.</param>
public sealed record ScorecardPeriod(
    DateTimeOffset From,
    DateTimeOffset To,
    ScorecardLeadCounts Leads,
    ScorecardResponseTimes TimeToRespond,
    ScorecardRates Rates,
    IReadOnlyList<DeclineReasonCount> DeclineReasons,
    IReadOnlyList<LostReasonCount> LostReasons,
    IReadOnlyList<CurrencyValues> Values);

/// <summary>The leads received in the window.</summary>
/// <param name="Total">Every lead received in the window.</param>
/// <param name="ByStatus">Per status now; the six add up to `total`.</param>
/// <param name="ByType">Per type; the three add up to `total`.</param>
public sealed record ScorecardLeadCounts(int Total, StatusCounts ByStatus, TypeCounts ByType);

/// <summary>Leads per status, as every reader sees it now (a received lead past `respondBy` is expired).</summary>
public sealed record StatusCounts(int Received, int Accepted, int Won, int Lost, int Declined, int Expired);

/// <summary>Leads per type.</summary>
public sealed record TypeCounts(int CustomerInquiry, int MarketingQualified, int SalesQualified);

/// <summary>
/// The time from `receivedAt` to the answer: `acceptedAt` for a lead accepted (whether it is now accepted, won or lost),
/// the time of the decline for a declined one. Expired leads and leads still awaiting an answer have no time to respond
/// and are left out of the median and p90 (the expiry rate counts the expired).
/// </summary>
/// <param name="Answered">The leads accepted or declined, whose times the median and p90 are of.</param>
/// <param name="MedianSeconds">The median time to respond in seconds (interpolated, to the millisecond); null when no lead was answered.</param>
/// <param name="P90Seconds">The 90th percentile time to respond in seconds (interpolated, to the millisecond): nine answers in ten came at least this fast. Null when no lead was answered.</param>
/// <param name="ReceivedAtLeast24hAgo">The leads received at least 24 hours before now: the denominator of `rates.answeredWithin24h` (a newer lead could still be answered in time).</param>
/// <param name="AnsweredWithin24h">Of those, the leads accepted or declined within 24 hours of `receivedAt`.</param>
/// <param name="ReceivedAtLeast72hAgo">The leads received at least 72 hours before now: the denominator of `rates.answeredWithin72h`.</param>
/// <param name="AnsweredWithin72h">Of those, the leads accepted or declined within 72 hours of `receivedAt`.</param>
public sealed record ScorecardResponseTimes(
    int Answered,
    double? MedianSeconds,
    double? P90Seconds,
    int ReceivedAtLeast24hAgo,
    int AnsweredWithin24h,
    int ReceivedAtLeast72hAgo,
    int AnsweredWithin72h);

/// <summary>Shares of the window's leads, each from 0 to 1 and null when its denominator is zero.</summary>
/// <param name="Acceptance">Accepted (now accepted, won or lost) / answered (accepted or declined): what the partner takes of what it answers.</param>
/// <param name="Expiry">Expired / (answered + expired): of the leads no longer awaiting an answer, the share left to expire.</param>
/// <param name="Win">Won / (won + lost).</param>
/// <param name="AnsweredWithin24h">`timeToRespond.answeredWithin24h` / `timeToRespond.receivedAtLeast24hAgo`: an expired lead counts as not answered in time.</param>
/// <param name="AnsweredWithin72h">`timeToRespond.answeredWithin72h` / `timeToRespond.receivedAtLeast72hAgo`.</param>
public sealed record ScorecardRates(double? Acceptance, double? Expiry, double? Win, double? AnsweredWithin24h, double? AnsweredWithin72h);

/// <summary>How many of the window's leads were declined with one reason.</summary>
public sealed record DeclineReasonCount(DeclineReason Reason, int Count);

/// <summary>How many of the window's leads were lost for one reason.</summary>
public sealed record LostReasonCount(LostReason Reason, int Count);

/// <summary>The deal values of the window's leads in one currency; averages are rounded to 2 decimals.</summary>
/// <param name="Currency">ISO 4217.</param>
/// <param name="Deals">The leads accepted (now accepted, won or lost) whose deal's estimated value is in this currency.</param>
/// <param name="AverageEstimatedValue">The average estimated value of those deals; null when there are none.</param>
/// <param name="Won">The won leads whose final value is in this currency.</param>
/// <param name="AverageFinalValue">The average final value of those; null when there are none.</param>
public sealed record CurrencyValues(string Currency, int Deals, decimal? AverageEstimatedValue, int Won, decimal? AverageFinalValue);
