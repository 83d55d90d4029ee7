namespace LeadsApi.Domain.Matching;

/// <summary>
/// The weight of each component in the score (configuration <c>Matching:Weights:*</c>). Only their ratios matter:
/// the score divides by their sum. The defaults sum to 1 and are explained in docs/matching.md.
/// </summary>
public sealed record MatchWeights
{
    public static readonly MatchWeights Default = new();

    public double ProfileFit { get; init; } = 0.35;

    public double Proximity { get; init; } = 0.15;

    public double Responsiveness { get; init; } = 0.20;

    public double OutcomeFit { get; init; } = 0.20;

    public double Capacity { get; init; } = 0.10;

    public double Sum => ProfileFit + Proximity + Responsiveness + OutcomeFit + Capacity;

    /// <summary>The weights that cannot make a score: negative, not finite, or all zero. Empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Check(nameof(ProfileFit), ProfileFit);
        Check(nameof(Proximity), Proximity);
        Check(nameof(Responsiveness), Responsiveness);
        Check(nameof(OutcomeFit), OutcomeFit);
        Check(nameof(Capacity), Capacity);
        if (problems.Count == 0 && Sum <= 0)
        {
            problems.Add("At least one weight must be greater than 0.");
        }

        return problems;

        void Check(string name, double weight)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                problems.Add($"{name} must be a finite number of at least 0.");
            }
        }
    }
}
