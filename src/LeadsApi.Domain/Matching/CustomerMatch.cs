namespace LeadsApi.Domain.Matching;

/// <summary>
/// Whether a past lead came from the same customer as the request: the same email domain (unless it is a public
/// mailbox provider, where a domain says nothing about the company) or the same company name once case, punctuation
/// and legal-form words are left out.
/// </summary>
internal sealed class CustomerMatch
{
    private static readonly HashSet<string> PublicMailDomains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net",
        "web.de", "mail.com", "yandex.com", "yandex.ru", "qq.com", "163.com", "zoho.com", "sapo.pt",
    };

    // Providers with a domain per country (hotmail.co.uk, yahoo.fr, outlook.pt).
    private static readonly HashSet<string> PublicMailBrands = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail", "hotmail", "outlook", "live", "yahoo", "gmx", "yandex",
    };

    private static readonly HashSet<string> LegalForms = new(StringComparer.OrdinalIgnoreCase)
    {
        "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc", "incorporated", "lda", "limited",
        "llc", "ltd", "nv", "oy", "plc", "sa", "sarl", "sas", "sl", "spa", "srl",
    };

    public CustomerMatch(string? emailDomain, string? company)
    {
        EmailDomain = NormalizeDomain(emailDomain);
        Company = NormalizeCompany(company);
    }

    /// <summary>The request's email domain when it identifies a company; null for a public mailbox provider.</summary>
    public string? EmailDomain { get; }

    public string? Company { get; }

    public bool IsEmpty => EmailDomain is null && Company is null;

    /// <summary>What the answer shares with the request, for the explanation; null when it is another customer.</summary>
    public string? SharedWith(RecentAnswer answer)
    {
        if (EmailDomain is not null && string.Equals(EmailDomain, NormalizeDomain(answer.CustomerEmailDomain), StringComparison.Ordinal))
        {
            return $"email domain {EmailDomain}";
        }

        if (Company is not null && string.Equals(Company, NormalizeCompany(answer.CustomerCompany), StringComparison.Ordinal))
        {
            return $"company {answer.CustomerCompany!.Trim()}";
        }

        return null;
    }

    internal static string? NormalizeDomain(string? domain)
    {
        var trimmed = domain?.Trim().TrimStart('@').TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed) || PublicMailDomains.Contains(trimmed))
        {
            return null;
        }

        var dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && PublicMailBrands.Contains(trimmed[..dot]) ? null : trimmed;
    }

    internal static string? NormalizeCompany(string? company)
    {
        var words = new List<string>();
        var rest = company.AsSpan();
        while (RequestTerms.NextWord(ref rest, out var word))
        {
            words.Add(word.ToString().ToLowerInvariant());
        }

        // "Fabrikam Ltd" and "Fabrikam, Limited" are one customer; a name made only of a legal form is no name.
        while (words.Count > 1 && LegalForms.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return words.Count == 0 || (words.Count == 1 && LegalForms.Contains(words[0])) ? null : string.Join(' ', words);
    }
}
