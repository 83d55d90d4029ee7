namespace LeadsApi.Hosting;

/// <summary>
/// A path or query value that binds as text, so that the API reads it (and names it when it cannot) rather
/// than the framework: the contract publishes it as <paramref name="type"/>, the type the API reads it as.
/// </summary>
/// <param name="type">The type whose schema the contract gives the value.</param>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Struct)]
public sealed class PublishedAsAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}
