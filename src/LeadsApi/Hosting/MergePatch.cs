using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace LeadsApi.Hosting;

/// <summary>
/// A JSON merge patch (RFC 7396): a member the client leaves out stays as it is, a member sent as null is
/// cleared. The contract requires none of its members, and one whose limit requires a value may be left
/// out but not sent as null.
/// </summary>
public interface IMergePatch
{
    /// <summary>Whether the client sent the member (by its C# name), null included.</summary>
    bool Holds(string member);
}

internal static class MergePatch
{
    /// <summary>Writes a patch as its client sent it: the members it holds, and no others (which would clear them).</summary>
    public static void WriteHeldMembersOnly(JsonTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Kind != JsonTypeInfoKind.Object || !type.Type.IsAssignableTo(typeof(IMergePatch)))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is PropertyInfo member)
            {
                property.ShouldSerialize = (patch, _) => ((IMergePatch)patch).Holds(member.Name);
            }
        }
    }
}
