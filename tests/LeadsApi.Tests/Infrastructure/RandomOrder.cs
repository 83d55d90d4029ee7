using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCaseOrderer("LeadsApi.Tests.Infrastructure.RandomOrder", "LeadsApi.Tests")]
[assembly: TestCollectionOrderer("LeadsApi.Tests.Infrastructure.RandomOrder", "LeadsApi.Tests")]

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// Runs test classes, and the tests within each, in an order shuffled from one seed, so a test that leans on
/// another's leftovers or on the clock another moved fails somewhere instead of passing by luck. The seed is
/// LEADS_TEST_ORDER_SEED when set (to replay an order), else new each run; it is printed and written to
/// test-order.txt beside the tests, which .ci/run shows.
/// </summary>
public sealed class RandomOrder : ITestCaseOrderer, ITestCollectionOrderer
{
    public static readonly int Seed = ChooseSeed();

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        Shuffle(testCases, c => c.UniqueID);

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        Shuffle(testCollections, c => c.DisplayName);

    // Sorted first, so the same seed gives the same order whatever order discovery produced.
    private static List<T> Shuffle<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var sorted = items.OrderBy(key, StringComparer.Ordinal).ToList();
        var random = new Random(Seed ^ StableHash(sorted.Count > 0 ? key(sorted[0]) : ""));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sorted));
        return sorted;
    }

    // string.GetHashCode differs per process; FNV-1a does not, so a seed replays the same order.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }

    private static int ChooseSeed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEADS_TEST_ORDER_SEED"), out var given) ? given : Random.Shared.Next();
        var line = $"LeadsApi tests: random order, LEADS_TEST_ORDER_SEED={seed}";
        Console.Error.WriteLine(line);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "test-order.txt"), line + Environment.NewLine);
        return seed;
    }
}
