namespace LeadsApi.Persistence;

/// <summary>Maximum lengths of text fields, shared by the schema and request validation.</summary>
public static class Limits
{
    public const int Name = 200;
    public const int Identifier = 100;
    public const int Email = 254;
    public const int Phone = 40;
    public const int LongText = 4000;
}
