namespace LeadsApi.Hosting;

/// <summary>
/// A response whose schema lists every member the server may write (<c>additionalProperties: false</c>): the
/// sender's representations, so that the contract states that nothing of the partner's is in them, and a
/// partner's body never also matches the sender's schema in a oneOf.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ClosedSchemaAttribute : Attribute;
