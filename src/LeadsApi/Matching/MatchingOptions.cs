using LeadsApi.Domain.Matching;
using LeadsApi.Limits;
using Microsoft.Extensions.Options;

namespace LeadsApi.Matching;

/// <summary>The <c>Matching</c> configuration section (docs/matching.md).</summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>The weight of each component of the score (<c>Matching:Weights:ProfileFit</c>, …).</summary>
    public MatchWeights Weights { get; set; } = MatchWeights.Default;

    /// <summary>How many days of a partner's leads its responsiveness and outcome fit are computed from: the scorecard's default window.</summary>
    public int HistoryDays { get; set; } = FieldLimits.ScorecardWindow.DefaultDays;

    public TimeSpan History => TimeSpan.FromDays(HistoryDays);

    /// <summary>
    /// How many partners of the customer's country a match scores at most, those sharing the most expertise words with the
    /// request first: each is a read of its history, so this bounds a match's cost however many partners a country has.
    /// </summary>
    public int MaxCandidates { get; set; } = 100;

    /// <summary>Whether this instance hands declined and expired routed leads on; any number of instances may.</summary>
    public bool RerouteEnabled { get; set; } = true;

    /// <summary>How often the re-routing worker looks for routed leads to hand on.</summary>
    public TimeSpan RerouteInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Refuses to start with weights that cannot make a score, naming them.</summary>
internal sealed class MatchingOptionsValidator : IValidateOptions<MatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, MatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Weights.Problems().Select(p => $"{MatchingOptions.Section}:Weights:{p}").ToList();
        var window = FieldLimits.ScorecardWindow;
        if (options.HistoryDays < window.MinDays || options.HistoryDays > window.MaxDays)
        {
            problems.Add(FormattableString.Invariant($"{MatchingOptions.Section}:HistoryDays must be from {window.MinDays} to {window.MaxDays}, as a scorecard's window."));
        }

        if (options.MaxCandidates is < 1 or > 10_000)
        {
            problems.Add($"{MatchingOptions.Section}:MaxCandidates must be from 1 to 10000.");
        }

        if (options.RerouteInterval <= TimeSpan.Zero || options.RerouteInterval > TimeSpan.FromDays(1))
        {
            problems.Add($"{MatchingOptions.Section}:RerouteInterval must be between 00:00:00.001 and 1.00:00:00.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
