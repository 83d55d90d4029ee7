using System.Text.Json;
using System.Text.Json.Serialization;
using LeadsApi.Limits;
using LeadsApi.Problems;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LeadsApi.Hosting;

public static class HttpExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private const string KestrelBodySizeKey = "Kestrel:Limits:MaxRequestBodySize";

    /// <summary>
    /// Listens on http://127.0.0.1:5080 (what the README promises for `dotnet run`) unless the URLs are
    /// configured anywhere: ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS (the container images set 8080),
    /// Urls, or Kestrel endpoints. A default in appsettings.json would outrank ASPNETCORE_URLS.
    /// </summary>
    public static WebApplicationBuilder ListenOnDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    /// <summary>JSON as the contract speaks it, and every error as problem details with a code.</summary>
    public static IHostApplicationBuilder AddLeadsHttp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<JsonOptions>(options => Configure(options.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            ProblemFactory.Complete(context.ProblemDetails);
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            // The X-Correlation-Id response header is the one id to quote; a second one only confuses.
            context.ProblemDetails.Extensions.Remove("traceId");
        });
        builder.Services.AddExceptionHandler<LeadsExceptionHandler>();
        // Kestrel's other limits are configuration (Kestrel:Limits in appsettings.json); the body's has one definition,
        // FieldLimits.MaxBodyBytes, which the 413 problem and the contract state too, so configuration may not name another.
        var configuredBodySize = builder.Configuration[KestrelBodySizeKey];
        var limits = builder.Configuration.GetSection("Kestrel:Limits");
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure(options => BindLimits(limits, options.Limits))
            .PostConfigure(options => options.Limits.MaxRequestBodySize = FieldLimits.MaxBodyBytes)
            .Validate(_ => configuredBodySize is null,
                $"{KestrelBodySizeKey} is not a setting: request bodies are limited to FieldLimits.MaxBodyBytes ({FieldLimits.MaxBodyBytes} bytes).")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Kestrel:Limits onto Kestrel's limits (the host binds only its endpoints from the Kestrel section). A data rate has no
    /// setters, so its two settings make a new one.
    /// </summary>
    private static void BindLimits(IConfigurationSection section, KestrelServerLimits limits)
    {
        section.Bind(limits, binder => binder.ErrorOnUnknownConfiguration = false);
        limits.MinRequestBodyDataRate = DataRate(section.GetSection(nameof(limits.MinRequestBodyDataRate)), limits.MinRequestBodyDataRate);
        limits.MinResponseDataRate = DataRate(section.GetSection(nameof(limits.MinResponseDataRate)), limits.MinResponseDataRate);
    }

    private static MinDataRate? DataRate(IConfigurationSection section, MinDataRate? current) =>
        section.Exists()
            ? new MinDataRate(
                section.GetValue(nameof(MinDataRate.BytesPerSecond), current?.BytesPerSecond ?? 240),
                section.GetValue(nameof(MinDataRate.GracePeriod), current?.GracePeriod ?? TimeSpan.FromSeconds(5)))
            : current;

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new ExactEnumConverter());
        options.Converters.Add(new UtcTimestampConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"reason": "notAFit", "reason": "other"} is ambiguous; refuse it rather than take the last one.
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    public static WebApplication UseLeadsHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Probes are not callers: a load balancer's checks never spend a budget (nor are refused for one).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous().DisableRateLimiting();
        return app;
    }
}

/// <summary>Writes timestamps as RFC 3339 UTC with a Z (2026-11-27T10:00:00Z); reads any offset.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Enums as their camelCase names, and nothing else. JsonStringEnumConverter also reads "large, enterprise"
/// as the bitwise OR of two values, an undefined enum that was stored and then broke every read of the lead.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsEnum;
    }

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private static readonly Dictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().ToDictionary(v => v, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

        private static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Values.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"One of {string.Join(", ", Values.Keys)}.");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(TEnum).Name} {value} has no name."));
        }
    }
}
