using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsApi.Hosting;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>The checked-in OpenAPI document, read as a client reads it: by operationId and JSON path.</summary>
public sealed class Contract
{
    private readonly JsonElement _root;

    private Contract(JsonElement root) => _root = root;

    public static Contract CheckedIn { get; } = new(JsonDocument.Parse(
        File.ReadAllText(Path.Combine(RepositoryPaths.Root(AppContext.BaseDirectory)!, OpenApiExport.CheckedInPath))).RootElement.Clone());

    /// <summary>Every operation: its id, method, path and the operation object.</summary>
    public IEnumerable<(string Id, string Method, string Path, JsonElement Operation)> Operations() =>
        from path in _root.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where method.Value.ValueKind == JsonValueKind.Object && method.Value.TryGetProperty("operationId", out _)
        select (method.Value.GetProperty("operationId").GetString()!, method.Name, path.Name, method.Value);

    public JsonElement Operation(string operationId) => Operations().Single(o => o.Id == operationId).Operation;

    /// <summary>The schema of a request body member, by the path the validator names it with: customer.phone, contacts[0].email.</summary>
    public ContractField RequestField(string operationId, string path)
    {
        var content = Operation(operationId).GetProperty("requestBody").GetProperty("content");
        var schema = content.EnumerateObject().First().Value.GetProperty("schema");
        foreach (var step in path.Split('.'))
        {
            var name = step.Split('[')[0];
            schema = new ContractField(this, schema).Keyword("properties")?.GetProperty(name)
                ?? throw new InvalidOperationException($"{operationId}: the request has no member {path}.");
            if (step.Contains('[', StringComparison.Ordinal))
            {
                schema = new ContractField(this, schema).Keyword("items") ?? throw new InvalidOperationException($"{operationId}: {name} is not a list.");
            }
        }

        return new ContractField(this, schema);
    }

    /// <summary>Every member of a request body, nested ones and list items ([0]) included, by path.</summary>
    public IEnumerable<(string Path, ContractField Field)> RequestFields(string operationId)
    {
        var content = Operation(operationId).GetProperty("requestBody").GetProperty("content");
        return Members("", new ContractField(this, content.EnumerateObject().First().Value.GetProperty("schema")));
    }

    private IEnumerable<(string Path, ContractField Field)> Members(string prefix, ContractField parent)
    {
        foreach (var property in parent.Keyword("properties")?.EnumerateObject() ?? Enumerable.Empty<JsonProperty>())
        {
            var path = prefix + property.Name;
            var field = new ContractField(this, property.Value);
            yield return (path, field);
            var nested = field.Keyword("items") is { } items ? (path + "[0]", new ContractField(this, items)) : (path, field);
            foreach (var member in Members(nested.Item1 + ".", nested.Item2))
            {
                yield return member;
            }
        }
    }

    public ContractField Parameter(string operationId, string name) =>
        new(this, Operation(operationId).GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("schema"));

    /// <summary>The schemas a member's schema stands for: itself and what its $ref, allOf and oneOf name, nulls left out.</summary>
    internal IEnumerable<JsonElement> Expand(JsonElement schema)
    {
        yield return schema;
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            foreach (var inner in Expand(_root.GetProperty("components").GetProperty("schemas").GetProperty(name)))
            {
                yield return inner;
            }
        }

        foreach (var keyword in new[] { "allOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var parts))
            {
                foreach (var inner in parts.EnumerateArray().SelectMany(Expand))
                {
                    yield return inner;
                }
            }
        }
    }
}

/// <summary>One member's schema, with its references followed, and what JSON Schema says it accepts.</summary>
public sealed partial class ContractField(Contract contract, JsonElement schema)
{
    public JsonElement? Keyword(string name) =>
        contract.Expand(schema).Where(s => s.TryGetProperty(name, out _)).Select(s => (JsonElement?)s.GetProperty(name)).FirstOrDefault();

    /// <summary>The names of the component schemas the member refers to.</summary>
    public IEnumerable<string> References =>
        contract.Expand(schema).Where(s => s.TryGetProperty("$ref", out _)).Select(s => s.GetProperty("$ref").GetString()!.Split('/')[^1]);

    public int? Whole(string name) => Keyword(name)?.GetInt32();

    public decimal? Number(string name) => Keyword(name)?.GetDecimal();

    public string? Pattern => Keyword("pattern")?.GetString();

    /// <summary>Whether the member's own schema lets null through: "type" names null, or a oneOf has a null branch.</summary>
    public bool AllowsNull => AdmitsNull(schema);

    public static bool AdmitsNull(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "null"))
        || (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(o => o.TryGetProperty("type", out var t) && t.GetString() == "null"));

    public IReadOnlySet<string>? Enum => Keyword("enum")?.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);

    public string Description => string.Join(" ", contract.Expand(schema).Where(s => s.TryGetProperty("description", out _)).Select(s => s.GetProperty("description").GetString()));

    /// <summary>The decimals rule, which the contract states in words (a multipleOf would misfire in floating-point validators).</summary>
    public int? Decimals => DecimalsRule().Match(Description) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>Whether a JSON Schema validator, evaluating patterns as JavaScript does, accepts the string.</summary>
    public bool Accepts(string value, JavaScriptRegExp javaScript)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(javaScript);
        if (Enum is { } codes)
        {
            return codes.Contains(value);
        }

        // JSON Schema counts characters as code points.
        var length = value.EnumerateRunes().Count();
        if (length > (Whole("maxLength") ?? int.MaxValue) || length < (Whole("minLength") ?? 0))
        {
            return false;
        }

        return Pattern is not { } pattern || javaScript.Test(pattern, value);
    }

    public bool Accepts(decimal value) =>
        value >= (Number("minimum") ?? decimal.MinValue)
        && value <= (Number("maximum") ?? decimal.MaxValue)
        && (Decimals is not { } decimals || decimal.Round(value, decimals) == value);

    public bool AcceptsItems(int count) => count <= (Whole("maxItems") ?? int.MaxValue);

    [GeneratedRegex("at most (\\d+) decimal places")]
    private static partial Regex DecimalsRule();

    public override string ToString() => schema.GetRawText();
}
