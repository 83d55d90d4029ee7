using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LeadsApi.Persistence;

/// <summary>Stores an enum as camelCase text (<c>customerInquiry</c>), the spelling the API uses.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => CamelCaseNames.Of(value),
    text => Enum.Parse<TEnum>(text, true))
    where TEnum : struct, Enum;

public static class CamelCaseNames
{
    /// <summary>The stored text of <paramref name="value"/>, also for SQL that EF Core does not write.</summary>
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
