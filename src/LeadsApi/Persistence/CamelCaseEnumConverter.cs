using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LeadsApi.Persistence;

/// <summary>Stores an enum as camelCase text (<c>customerInquiry</c>), the spelling the API uses.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => JsonNamingPolicy.CamelCase.ConvertName(value.ToString()),
    text => Enum.Parse<TEnum>(text, true))
    where TEnum : struct, Enum;
