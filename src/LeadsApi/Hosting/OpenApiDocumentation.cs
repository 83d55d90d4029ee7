using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LeadsApi.Domain.Leads;
using LeadsApi.Leads;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadsApi.Hosting;

/// <summary>
/// Makes the schemas say what the server does: enums are their camelCase names; a response member
/// the server always writes is required; a request member carries its <see cref="LimitAttribute"/>'s
/// limit, which the validator applies too, and when that limit requires a value it is required (left out
/// of a <see cref="IMergePatch"/>) and not nullable. Request types are the bodies the endpoints accept and
/// the types of their members; every other schema is a response.
/// </summary>
internal sealed class ContractSchemaFilter(IApiDescriptionGroupCollectionProvider endpoints) : ISchemaFilter
{
    private readonly Lazy<HashSet<Type>> _requestTypes = new(() => RequestTypes(endpoints));

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        var type = Nullable.GetUnderlyingType(context.Type) ?? context.Type;
        if (type.IsEnum)
        {
            if (concrete.AllOf is { Count: > 0 })
            {
                // A property that refers to the enum: the values live on the enum's own schema.
                concrete.Type = JsonSchemaType.String | (concrete.Type & JsonSchemaType.Null);
                concrete.Enum = null;
                return;
            }

            concrete.Type = JsonSchemaType.String;
            concrete.Format = null;
            concrete.Enum = [.. Enum.GetValues(type).Cast<Enum>().Select(v => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(v.ToString()))];
            return;
        }

        if (concrete.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        // A nullable reference becomes oneOf [the schema, null]: "allOf [ref]" beside type null would still
        // require the referenced schema, which null never satisfies. Both client generators read this form.
        foreach (var wrapper in properties.Values.OfType<OpenApiSchema>()
            .Where(p => p.AllOf is { Count: 1 } && ((p.Type ?? 0) & JsonSchemaType.Null) != 0))
        {
            wrapper.OneOf = [wrapper.AllOf![0], new OpenApiSchema { Type = JsonSchemaType.Null }];
            wrapper.AllOf = null;
            wrapper.Type = null;
        }

        concrete.Required ??= new HashSet<string>(StringComparer.Ordinal);
        if (type.GetCustomAttribute<ClosedSchemaAttribute>() is not null)
        {
            concrete.AdditionalPropertiesAllowed = false;
        }

        var isRequest = _requestTypes.Value.Contains(type);
        foreach (var member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonName(member);
            if (!properties.TryGetValue(name, out var property))
            {
                continue;
            }

            if (Attribute<PublishedAsAttribute>(type, member) is { } published)
            {
                var schemaOfPublished = context.SchemaGenerator.GenerateSchema(published.Type, context.SchemaRepository);
                if (schemaOfPublished is OpenApiSchema described)
                {
                    described.Description = property.Description;
                }

                properties[name] = property = schemaOfPublished;
            }

            if (Attribute<SchemaOneOfAttribute>(type, member) is { } oneOf)
            {
                properties[name] = new OpenApiSchema
                {
                    Description = property.Description,
                    OneOf = [.. oneOf.Types.Select(t => context.SchemaGenerator.GenerateSchema(t, context.SchemaRepository))],
                };
                if (Nullable.GetUnderlyingType(member.PropertyType) is not null)
                {
                    // A value that is not always there (a profile event carries no lead): one of the types, or null.
                    ((OpenApiSchema)properties[name]).OneOf!.Add(new OpenApiSchema { Type = JsonSchemaType.Null });
                }
            }

            if (!isRequest)
            {
                // The server writes every member of a response, null or not, except those it leaves out when null.
                if (member.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition != JsonIgnoreCondition.WhenWritingNull)
                {
                    concrete.Required.Add(name);
                }

                continue;
            }

            if (Attribute<LimitAttribute>(type, member)?.Limit is not { } limit)
            {
                continue;
            }

            properties[name] = property = OpenApiLimits.Publish(property, limit, context.SchemaRepository);
            if (limit is AlternativeLimit && property is OpenApiSchema alternative)
            {
                NotNull(alternative);
            }

            if (limit.Required)
            {
                if (!type.IsAssignableTo(typeof(IMergePatch)))
                {
                    concrete.Required.Add(name);
                }

                if (property is OpenApiSchema nullable)
                {
                    NotNull(nullable);
                }
            }
        }

        Polymorphism.Apply(concrete, type, context);
    }

    /// <summary>The bodies the endpoints accept, and the types of their members (list items included), all the way down.</summary>
    private static HashSet<Type> RequestTypes(IApiDescriptionGroupCollectionProvider endpoints)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(endpoints.ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Source == BindingSource.Body && p.Type is not null)
            .Select(p => p.Type!));
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type.IsGenericType && type.GetGenericArguments() is [var item] && type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                pending.Push(item);
            }
            else if (type.IsClass && type != typeof(string) && found.Add(type))
            {
                foreach (var member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    pending.Push(member.PropertyType);
                }
            }
        }

        return found;
    }

    /// <summary>Takes null out of a member's schema: from its type, or from a oneOf [ref, null].</summary>
    private static void NotNull(OpenApiSchema member)
    {
        if (member.Type is { } memberType)
        {
            member.Type = memberType & ~JsonSchemaType.Null;
        }

        if (member.OneOf is { Count: 2 } oneOf && oneOf[1] is OpenApiSchema { Type: JsonSchemaType.Null })
        {
            member.AllOf = [oneOf[0]];
            member.OneOf = null;
        }
    }

    private static string JsonName(PropertyInfo member) =>
        member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(member.Name);

    /// <summary>On a property, or on the primary-constructor parameter of a positional record.</summary>
    private static TAttribute? Attribute<TAttribute>(Type type, PropertyInfo member) where TAttribute : Attribute =>
        member.GetCustomAttribute<TAttribute>()
        ?? type.GetConstructors().SelectMany(c => c.GetParameters())
            .Where(p => p.Name == member.Name).Select(p => p.GetCustomAttribute<TAttribute>()).FirstOrDefault(a => a is not null);
}

/// <summary>
/// A response type with subtypes told apart by a member (<see cref="JsonPolymorphicAttribute"/>, as the server writes it):
/// the base schema names the member in a <c>discriminator</c> with a mapping to each subtype, and each subtype is
/// <c>allOf</c> [the base, its own members], closed with <c>unevaluatedProperties: false</c> (an <c>additionalProperties</c>
/// would not see the base's members). The form both client generators read: NSwag makes a base class and a subclass per
/// value, openapi-typescript a type per subtype with the member's one value.
/// </summary>
internal static class Polymorphism
{
    public static void Apply(OpenApiSchema schema, Type type, SchemaFilterContext context)
    {
        if (type.GetCustomAttribute<JsonPolymorphicAttribute>(inherit: false) is { TypeDiscriminatorPropertyName: { } member })
        {
            var derived = type.GetCustomAttributes<JsonDerivedTypeAttribute>().ToList();
            schema.AdditionalPropertiesAllowed = true;
            schema.Properties![member] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Which of the subtypes this is: " + string.Join(", ", derived.Select(d => $"`{d.TypeDiscriminator}` ({d.DerivedType.Name})")) + ".",
                Enum = [.. derived.Select(d => (JsonNode)(string)d.TypeDiscriminator!)],
            };
            schema.Required!.Add(member);
            schema.Discriminator = new OpenApiDiscriminator
            {
                PropertyName = member,
                Mapping = derived.ToDictionary(
                    d => (string)d.TypeDiscriminator!,
                    d =>
                    {
                        context.SchemaGenerator.GenerateSchema(d.DerivedType, context.SchemaRepository);
                        return new OpenApiSchemaReference(d.DerivedType.Name);
                    }),
            };
            return;
        }

        if (type.BaseType is not { } baseType
            || baseType.GetCustomAttribute<JsonPolymorphicAttribute>(inherit: false) is not { TypeDiscriminatorPropertyName: { } discriminator }
            || baseType.GetCustomAttributes<JsonDerivedTypeAttribute>().FirstOrDefault(d => d.DerivedType == type) is not { } value)
        {
            return;
        }

        var inherited = baseType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);
        var own = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = schema.Properties!.Where(p => !inherited.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value),
            Required = schema.Required!.Where(r => !inherited.Contains(r)).ToHashSet(StringComparer.Ordinal),
        };
        own.Properties[discriminator] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [(string)value.TypeDiscriminator!] };
        own.Required.Add(discriminator);
        context.SchemaGenerator.GenerateSchema(baseType, context.SchemaRepository);
        schema.AllOf = [new OpenApiSchemaReference(baseType.Name), own];
        schema.Properties = null;
        schema.Required = null;
        schema.Type = null;
        schema.AdditionalPropertiesAllowed = true;
        schema.UnevaluatedProperties = false;
    }
}

/// <summary>Examples for every body, the failures and headers each endpoint declares, and the list's allowed values.</summary>
internal sealed class ContractOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var failures = Failures(context);
        if (failures.Count > 0)
        {
            operation.Description = $"{operation.Description}\n\nFails with {string.Join(", ", failures.Select(f => $"{f.Status} {f}"))}.";
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete || concrete.Content is null)
            {
                continue;
            }

            foreach (var (contentType, media) in concrete.Content.Where(c => c.Value is OpenApiMediaType).Select(c => (c.Key, (OpenApiMediaType)c.Value)))
            {
                if (contentType == ProblemResponses.ContentType)
                {
                    concrete.Description = string.Join("; ", failures.Where(f => f.Status.ToString(CultureInfo.InvariantCulture) == status)) + "."
                        + (context.ApiDescription.HttpMethod == HttpMethods.Get ? "" : " Nothing was changed.");
                    media.Example = OpenApiExamples.Problem(status);
                }
                else if (BodyTypes(context, status) is [var single] && OpenApiExamples.ForResponse(single) is { } example)
                {
                    media.Example = example;
                }
                else if (BodyTypes(context, status) is { Count: > 1 } perCaller)
                {
                    DescribePerCallerBody(media, perCaller, context);
                }
            }
        }

        var bodyType = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (operation.RequestBody?.Content is { } requestContent && OpenApiExamples.ForRequest(bodyType) is { } body)
        {
            foreach (var media in requestContent.Values.OfType<OpenApiMediaType>())
            {
                media.Example = body;
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            Describe(parameter, context);
        }

        DescribeHeaders(operation, context);
        DescribeIdempotency(operation, context);
        if (operation.Responses?.GetValueOrDefault("304") is OpenApiResponse notModified)
        {
            notModified.Description = "Not modified: what you hold (the `ETag` you sent as `If-None-Match`) is what you would get now; no body.";
        }
    }

    /// <summary>An idempotent POST (<see cref="Idempotency.IdempotencyMiddleware"/>): its optional key, and the header of a replayed answer.</summary>
    private static void DescribeIdempotency(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Idempotency.IdempotentEndpoint>().Any())
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Idempotency.IdempotentEndpoint.KeyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = """
                Makes a retry safe: send a new unique value (a UUID, say) with each new request and the same value when you retry it.
                The first success is kept for 24 hours for your key's user; the same request with the same key gets that answer again
                (with `Idempotent-Replayed: true`) and is not run twice. A problem keeps nothing, so a retry after one runs again.
                """,
            Schema = OpenApiLimits.Publish(new OpenApiSchema { Type = JsonSchemaType.String }, Limits.FieldLimits.IdempotencyKey, context.SchemaRepository),
            Example = "5f0c6d1e-8a7b-4c2e-9d3f-1a2b3c4d5e6f",
        });
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.StartsWith('2') && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[Idempotency.IdempotentEndpoint.ReplayedHeader] = new OpenApiHeader
                {
                    Description = "`true` when this is the kept answer to an earlier request with the same `Idempotency-Key`; absent otherwise.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
                };
            }
        }
    }

    /// <summary>
    /// How the endpoint fails, by status, as its groups and itself declare it (<see cref="ProblemResponses.Fails"/>): a code
    /// declared again, closer to the endpoint, says when it happens there.
    /// </summary>
    private static List<Failure> Failures(OperationFilterContext context) =>
        [.. context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Failure>()
            .GroupBy(f => f.Code)
            .Select(g => g.Last())
            .OrderBy(f => f.Status)];

    /// <summary>
    /// The body types an endpoint declares for a status, in the order of its <c>Results</c> union. The API
    /// explorer keeps one type per status code, so a read that answers a sender with the sender's
    /// representation (and a partner's user with the partner's) is read from the endpoint's own metadata.
    /// </summary>
    private static List<Type> BodyTypes(OperationFilterContext context, string status) =>
        [.. context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status && m.Type is { } t && t != typeof(void) && t != typeof(Problem))
            .Select(m => m.Type!)
            .Distinct()];

    /// <summary>
    /// One body per kind of caller: a oneOf of their schemas, the partner's first, since NSwag types the call with the
    /// first member (a partner's generated client stays as it was) and openapi-typescript makes the union of them all.
    /// The sender's schemas are closed (ContractSchemaFilter), so a partner's body never also matches the sender's.
    /// </summary>
    private static void DescribePerCallerBody(OpenApiMediaType media, List<Type> types, OperationFilterContext context)
    {
        media.Schema = new OpenApiSchema
        {
            Description = "The partner's users get the partner's representation; the lead's sender gets its own, without the partner's work on the lead.",
            OneOf = [.. types.Select(t => context.SchemaGenerator.GenerateSchema(t, context.SchemaRepository))],
        };
        media.Example = null;
        media.Examples = types
            .Where(t => OpenApiExamples.ForResponse(t) is not null)
            .ToDictionary(t => t.Name, t => (IOpenApiExample)new OpenApiExample { Summary = OpenApiExamples.Audience(t), Value = OpenApiExamples.ForResponse(t) });
    }

    /// <summary>
    /// A parameter as it declares itself: the If-Match header says what it is for; a value bound as text has the schema
    /// of the type it is read as (<see cref="PublishedAsAttribute"/>), so the list's enum parameters refer to the same named
    /// schemas as the lead's members and a client can pass one to the other; and a limit says what it keeps.
    /// </summary>
    private static void Describe(OpenApiParameter parameter, OperationFilterContext context)
    {
        if (context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Name == parameter.Name)?.ParameterDescriptor
            is not Microsoft.AspNetCore.Mvc.Infrastructure.IParameterInfoParameterDescriptor { ParameterInfo: var info })
        {
            return;
        }

        if (info.GetCustomAttribute<IfMatchAttribute>() is { } ifMatch)
        {
            parameter.Description = ifMatch.Describe();
            return;
        }

        if (info.GetCustomAttribute<IfNoneMatchAttribute>() is not null)
        {
            parameter.Description = IfNoneMatchAttribute.Description;
            return;
        }

        var published = info.GetCustomAttribute<PublishedAsAttribute>()
            ?? (Nullable.GetUnderlyingType(info.ParameterType) ?? info.ParameterType).GetCustomAttribute<PublishedAsAttribute>();
        if (published is not null)
        {
            parameter.Schema = published.Type == typeof(LeadSort)
                ? SortSchema(context)
                : context.SchemaGenerator.GenerateSchema(published.Type, context.SchemaRepository);
        }

        if (info.GetCustomAttribute<LimitAttribute>() is { } limit && parameter.Schema is not null)
        {
            parameter.Schema = OpenApiLimits.Publish(parameter.Schema, limit.Limit, context.SchemaRepository);
            parameter.Required |= limit.Limit.Required;
        }
    }

    private static OpenApiSchemaReference SortSchema(OperationFilterContext context)
    {
        const string name = "LeadSortOrder";
        if (!context.SchemaRepository.Schemas.ContainsKey(name))
        {
            context.SchemaRepository.AddDefinition(name, new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "A sort key, ascending, or with a leading - for descending. Ties are broken by id.",
                Enum = [.. LeadSort.Names.SelectMany(n => new JsonNode[] { n, "-" + n })],
                Default = LeadSort.Default.Name,
            });
        }

        return new OpenApiSchemaReference(name);
    }

    /// <summary>The headers the endpoint declares for each of its answers (<see cref="ResponseHeaders"/>).</summary>
    private static void DescribeHeaders(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var declared in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseHeader>())
        {
            if (operation.Responses?.GetValueOrDefault(declared.Status.ToString(CultureInfo.InvariantCulture)) is not OpenApiResponse response)
            {
                throw new InvalidOperationException($"{context.ApiDescription.RelativePath} declares {declared.Header.Name} on {declared.Status}, an answer it does not give.");
            }

            Describe(response, declared.Header);
        }

        // A rate-limited endpoint (it declares the 429) says what is left of the budget in every answer, whatever its status:
        // the two headers are described once, in the document's components (ContractDocumentFilter).
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Failure>().Any(f => f.Code == ProblemCatalog.RateLimited))
        {
            foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var header in RateLimitHeaders)
                {
                    response.Headers[header.Name] = new OpenApiHeaderReference(header.Name, context.Document);
                }
            }
        }
    }

    /// <summary>The headers every answer of a rate-limited endpoint carries.</summary>
    public static readonly IReadOnlyList<Header> RateLimitHeaders = [Header.RateLimitPolicy, Header.RateLimit];

    private static void Describe(OpenApiResponse response, Header header)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[header.Name] = HeaderObject(header);
    }

    public static OpenApiHeader HeaderObject(Header header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new OpenApiHeader
        {
            Description = header.Description,
            Schema = header.Seconds
                ? new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }
                : new OpenApiSchema { Type = JsonSchemaType.String },
            Example = header.Example is { } example ? JsonValue.Create(example) : null,
        };
    }
}

/// <summary>The document's own facts: where it runs, who to ask, what its tag is about.</summary>
internal sealed class ContractDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Servers = [new OpenApiServer { Url = "http://127.0.0.1:5080", Description = "The service started by `dotnet run --project src/LeadsApi`" }];
        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var header in ContractOperationFilter.RateLimitHeaders)
        {
            swaggerDoc.Components.Headers[header.Name] = ContractOperationFilter.HeaderObject(header);
        }
        swaggerDoc.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Leads", Description = "Leads handed to a partner: receive, accept or decline, work to won or lost, star." },
            new() { Name = "Events", Description = "The change feed: every event about the caller's leads, in order, from a cursor that never skips one." },
            new() { Name = "Webhooks", Description = "Events pushed to your URL, signed per Standard Webhooks and retried; the delivery log, redelivery and replay." },
            new() { Name = "API keys", Description = "A partner's keys, managed by its admins: create one (its secret is shown once), list them, revoke one at once on every instance." },
            new() { Name = "Onboarding", Description = "For the platform's staff with a platformAdmin key: onboard a partner (with its first admin key) or a sender (with its key)." },
            new() { Name = "Scorecards", Description = "How a partner answers its leads: counts, time to respond, acceptance, expiry and win rates, reasons and deal values, against the window before." },
            new() { Name = "Matching", Description = "Which partners suit a customer request, and why: ranked with every score explained, exclusions with their reasons (docs/matching.md)." },
            new() { Name = "Partners", Description = "The calling partner's business profile, which matching reads: expertise, customers served, locations, capacity, pause; and its changes." },
        };
    }
}
