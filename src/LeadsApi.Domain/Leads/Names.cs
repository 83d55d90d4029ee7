namespace LeadsApi.Domain.Leads;

/// <summary>The camelCase names statuses, actions and reasons go by in the API and in messages.</summary>
public static class Names
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
