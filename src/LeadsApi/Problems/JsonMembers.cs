using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LeadsApi.Problems;

/// <summary>
/// Reads where a <see cref="JsonException"/> happened against the type being read. With
/// <see cref="System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow"/> the exception's path ends at
/// the member the type does not have (<c>$.contacts[0].role</c>); a value of the wrong type ends at a member it has.
/// </summary>
public static class JsonMembers
{
    /// <summary>Whether <paramref name="path"/> ends at a member that <paramref name="root"/>, read with <paramref name="options"/>, does not have there.</summary>
    public static bool IsUnknownMember(Type root, string path, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var type = options.GetTypeInfo(root);
        var steps = Steps(path);
        for (var i = 0; i < steps.Count; i++)
        {
            var (name, isIndex) = steps[i];
            if (isIndex || type.Kind == JsonTypeInfoKind.Dictionary)
            {
                if (type.ElementType is not { } element)
                {
                    return false;
                }

                type = options.GetTypeInfo(element);
            }
            else if (type.Kind == JsonTypeInfoKind.Object)
            {
                var member = type.Properties.FirstOrDefault(p => p.Name == name);
                if (member is null)
                {
                    return i == steps.Count - 1;
                }

                type = options.GetTypeInfo(member.PropertyType);
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The steps of a path as System.Text.Json writes it: <c>$.name</c>, <c>$['odd.name']</c>, <c>[0]</c>.</summary>
    private static List<(string Name, bool IsIndex)> Steps(string path)
    {
        var steps = new List<(string, bool)>();
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                steps.Add((path[(i + 1)..end], false));
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                steps.Add((path[(i + 2)..end], false));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                steps.Add((path[(i + 1)..end], true));
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return steps;
    }
}
