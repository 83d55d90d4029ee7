using System.Globalization;
using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>Tenancy and loading rules shared by every lead query: what a caller may see, and nothing more.</summary>
public static class LeadQueries
{
    /// <summary>A partner's users see the partner's leads; a sender sees the leads it sent.</summary>
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.PartnerId is { } partnerId)
        {
            return leads.Where(l => l.PartnerId == partnerId);
        }

        if (caller.SenderId is { } senderId)
        {
            return leads.Where(l => l.Sender.Id == senderId);
        }

        return leads.Where(_ => false);
    }

    public static async Task<Lead> GetVisibleAsync(this IQueryable<Lead> leads, Caller caller, Guid leadId, CancellationToken cancellationToken) =>
        await leads.VisibleTo(caller).FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken)
        ?? throw new LeadNotFoundException(leadId);

    /// <summary>A partner's user's lead and whether that user starred it, in one query.</summary>
    public static async Task<(Lead Lead, bool Favorite)> GetStarredAsync(
        this IQueryable<Lead> leads, IQueryable<Favorite> favorites, Caller caller, Guid leadId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsurePartnerUser();
        var row = await leads.VisibleTo(caller).Where(l => l.Id == leadId)
            .Select(l => new { Lead = l, Favorite = favorites.Any(f => f.PartnerId == l.PartnerId && f.LeadId == l.Id && f.UserId == caller.UserId) })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new LeadNotFoundException(leadId);
        return (row.Lead, row.Favorite);
    }
}

/// <summary>
/// A lead's ETag names the representation a caller gets, now: <c>"&lt;version&gt;-&lt;state&gt;"</c>. The version is the
/// row version, which every change to the lead bumps; the state is one hex digit of what the representation shows beyond
/// the row: 1 the calling user starred the lead, 2 a received lead reads as expired (respondBy passed before the sweep
/// wrote it down), 4 the customer's contact request is hot, 8 it is the sender's representation. So a star, the end of the
/// hot window or respondBy each give a GET a new ETag, and <c>If-None-Match</c> answers 304 only when the body would be
/// the same. <c>If-Match</c> checks the version alone: a star or the passing of time is no conflicting change, so it
/// never fails an edit with 412 (a change to a lead past respondBy fails as expired instead).
/// </summary>
public static class LeadETag
{
    private const int Starred = 1, ReadsExpired = 2, Hot = 4, SenderView = 8;

    /// <param name="lead">The lead as stored.</param>
    /// <param name="status">Its status as the caller reads it now.</param>
    /// <param name="contactRequest">Its contact request as the caller reads it now.</param>
    /// <param name="favorite">The calling user starred it (always false for a sender).</param>
    /// <param name="senderView">The caller is the lead's sender.</param>
    public static string Of(Lead lead, LeadStatus status, ContactRequest contactRequest, bool favorite, bool senderView)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(contactRequest);
        var state = (favorite ? Starred : 0)
            | (status != lead.Status ? ReadsExpired : 0)
            | (contactRequest.State == ContactRequestState.Hot ? Hot : 0)
            | (senderView ? SenderView : 0);
        return string.Create(CultureInfo.InvariantCulture, $"\"{lead.Version}-{state:x}\"");
    }

    /// <summary>
    /// Throws <see cref="LeadPreconditionFailedException"/> unless If-Match is absent, <c>*</c>, or lists a strong tag of
    /// the lead's current version (the state part is not compared; a bare <c>"&lt;version&gt;"</c> is accepted too).
    /// </summary>
    public static void EnsureMatches(string? ifMatch, Lead lead, string currentETag)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }

        // Strong comparison (RFC 9110): a weak W/"..." tag never matches If-Match.
        var matches = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => VersionOf(tag) == lead.Version);
        if (!matches)
        {
            throw new LeadPreconditionFailedException(currentETag);
        }
    }

    /// <summary>True when If-None-Match is <c>*</c> or lists the current tag (weak comparison, RFC 9110: W/ is ignored).</summary>
    public static bool IsNamedBy(string? ifNoneMatch, string currentETag)
    {
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        return ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == currentETag);
    }

    private static int? VersionOf(string tag)
    {
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"')
        {
            return null;
        }

        var opaque = tag.AsSpan(1, tag.Length - 2);
        var dash = opaque.IndexOf('-');
        var version = dash < 0 ? opaque : opaque[..dash];
        return int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

public static class TimeProviderExtensions
{
    /// <summary>Now, cut to whole microseconds: what PostgreSQL stores, so a lead reads back as it was written.</summary>
    public static DateTimeOffset GetUtcNowMicroseconds(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
