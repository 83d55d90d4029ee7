using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace LeadsApi.Hosting;

/// <summary>
/// The request's JSON body. Binding lets an empty body (or the JSON <c>null</c>) through, so that
/// <see cref="JsonBodies.RequireJsonBody"/> refuses it with a typed exception instead of the framework's
/// English message. The contract still says the body is required.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class JsonBodyAttribute : Attribute, IFromBodyMetadata
{
    public bool AllowEmpty => true;
}

/// <summary>A call that needs a JSON body got none, or the JSON null.</summary>
public sealed class MissingBodyException() : Exception("A JSON body is required.");

public static class JsonBodies
{
    /// <summary>Refuses a missing body before the handler runs: <see cref="MissingBodyException"/>, answered as malformed-json.</summary>
    public static RouteHandlerBuilder RequireJsonBody(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilterFactory((context, next) =>
        {
            var body = Array.FindIndex(context.MethodInfo.GetParameters(), IsJsonBody);
            if (body < 0)
            {
                throw new InvalidOperationException($"{context.MethodInfo.Name} reads a JSON body: mark its parameter [JsonBody].");
            }

            return invocation => invocation.Arguments[body] is null ? throw new MissingBodyException() : next(invocation);
        });

    /// <summary>
    /// The answers of a call with a body, before any of its fields is read: missing, too large, not declared as JSON,
    /// not JSON; required and declared in the contract.
    /// </summary>
    public static RouteHandlerBuilder ReadsJsonBody(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireJsonBody().Fails(Failure.MalformedJson, Failure.PayloadTooLarge, Failure.UnsupportedMediaType);

    public static bool IsJsonBody(ParameterInfo parameter) => parameter?.GetCustomAttribute<JsonBodyAttribute>() is not null;
}
