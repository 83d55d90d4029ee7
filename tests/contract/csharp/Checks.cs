using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadsApi.ClientScenario;

/// <summary>A check that did not hold: fails the step it is in.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);

/// <summary>Thrown by a failed step to stop the scenario; the failure is already reported.</summary>
internal sealed class ScenarioStoppedException() : Exception("a step failed");

internal static class Check
{
    // Enums as their wire names (the generated enums carry JsonStringEnumMemberName), for readable messages. Fields
    // included: a tuple's items are fields, and without them every tuple serializes as {} and compares equal.
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, IncludeFields = true };

    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new CheckFailedException(what);
        }
    }

    /// <summary>Compares the JSON of both values, so lists and DTOs compare by content.</summary>
    public static void Same<T>(T actual, T expected, string what)
    {
        var a = JsonSerializer.Serialize(actual, Json);
        var e = JsonSerializer.Serialize(expected, Json);
        That(a == e, $"{what}: expected {e}, got {a}");
    }
}
