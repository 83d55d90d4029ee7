using System.Globalization;
using System.Text.Json.Nodes;
using LeadsApi.Limits;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadsApi.Hosting;

/// <summary>
/// Writes a <see cref="FieldLimit"/> into the schema of the member or parameter that keeps it, so the
/// contract states every limit the server enforces, in JSON Schema a client can check before sending.
/// </summary>
internal static class OpenApiLimits
{
    /// <summary>The member's schema with the limit in it; a code limit replaces it with a reference to its enum.</summary>
    public static IOpenApiSchema Publish(IOpenApiSchema member, FieldLimit limit, SchemaRepository schemas)
    {
        if (member is not OpenApiSchema schema)
        {
            return member;
        }

        switch (limit)
        {
            case TextLimit text:
                schema.MaxLength = text.MaxLength;
                schema.MinLength = text.MinLength > 0 ? text.MinLength : null;
                schema.Pattern = text.Pattern.Ecma;
                break;
            case CodeLimit code:
                return CodeReference(schema, code, schemas);
            case AlternativeLimit:
                // Not required, not null: the schema filter writes the second.
                return schema;
            case PresenceLimit:
                // Required and not null, which the schema filter writes; the member's type says the rest.
                return schema;
            case AmountLimit amount:
                schema.Minimum = amount.Minimum.ToString(CultureInfo.InvariantCulture);
                schema.Maximum = amount.Maximum.ToString(CultureInfo.InvariantCulture);
                // No multipleOf: JavaScript validators divide in binary floating point and would refuse 0.3 as a multiple of 0.0001.
                break;
            case CountLimit count:
                schema.MaxItems = count.MaxItems;
                schema.MinItems = count.MinItems > 0 ? count.MinItems : null;
                break;
            case CodeListLimit list:
                schema.MaxItems = list.MaxItems;
                schema.MinItems = list.Required ? list.MinItems : null;
                schema.UniqueItems = true;
                schema.Items = CodeReference(new OpenApiSchema { Type = JsonSchemaType.String }, list.Codes, schemas);
                break;
            case TextListLimit texts:
                schema.MaxItems = texts.MaxItems;
                schema.Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MaxLength = texts.Item.MaxLength,
                    MinLength = texts.Item.MinLength > 0 ? texts.Item.MinLength : null,
                    Pattern = texts.Item.Pattern.Ecma,
                };

                break;
            case WholeNumberLimit whole:
                schema.Minimum = whole.Minimum.ToString(CultureInfo.InvariantCulture);
                schema.Maximum = whole.Maximum.ToString(CultureInfo.InvariantCulture);
                break;
            case RangeLimit range:
                schema.Minimum = range.Minimum.ToString(CultureInfo.InvariantCulture);
                schema.Maximum = range.Maximum.ToString(CultureInfo.InvariantCulture);
                schema.Default = range.Default;
                break;
            case DayWindowLimit window:
                schema.Pattern = window.Pattern;
                schema.Default = window.Default;
                break;
        }

        schema.Description = WithRule(schema.Description, limit);
        return schema;
    }

    private static OpenApiSchema CodeReference(OpenApiSchema member, CodeLimit code, SchemaRepository schemas)
    {
        if (!schemas.Schemas.ContainsKey(code.SchemaName))
        {
            schemas.AddDefinition(code.SchemaName, new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = code.Description,
                Enum = [.. code.Codes.Order(StringComparer.Ordinal).Select(c => (JsonNode)c)],
            });
        }

        var reference = new OpenApiSchemaReference(code.SchemaName);
        var nullable = ((member.Type ?? 0) & JsonSchemaType.Null) != 0;
        return new OpenApiSchema
        {
            Description = member.Description,
            AllOf = nullable ? null : [reference],
            OneOf = nullable ? [reference, new OpenApiSchema { Type = JsonSchemaType.Null }] : null,
        };
    }

    private static string WithRule(string? description, FieldLimit limit) =>
        string.IsNullOrEmpty(description) ? limit.Rule : $"{description.TrimEnd()} {limit.Rule}";
}
