namespace LeadsApi.Hosting;

/// <summary>
/// A member whose value is one of several types, by who reads it (a partner's user or the lead's sender): the contract
/// gives it a oneOf of their schemas, the partner's first, as it does for the bodies of calls that answer per caller.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SchemaOneOfAttribute(params Type[] types) : Attribute
{
    public IReadOnlyList<Type> Types { get; } = types;
}
