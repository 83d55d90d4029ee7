namespace LeadsApi.Domain; internal static class Placeholder { }
