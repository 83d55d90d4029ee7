using System.Text.Json;
using LeadsApi.Domain.Leads;
using LeadsApi.Domain.Partners;
using LeadsApi.Events;
using LeadsApi.Identity;
using LeadsApi.Leads;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LeadsApi.Partners;

/// <summary>The calling partner's business profile; a partner that never saved one reads the empty profile, version 0.</summary>
public sealed record GetPartnerProfile(Caller Caller) : IQuery<PartnerProfileResponse>;

public sealed class GetPartnerProfileHandler(LeadsDbContext db, TimeProvider time, IOptions<HttpJsonOptions> json)
    : IQueryHandler<GetPartnerProfile, PartnerProfileResponse>
{
    public async ValueTask<PartnerProfileResponse> Handle(GetPartnerProfile query, CancellationToken cancellationToken)
    {
        var partnerId = PartnerOf(query.Caller);
        var stored = await db.PartnerProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.PartnerId == partnerId, cancellationToken);
        var profile = stored?.ToProfile(json.Value.SerializerOptions) ?? PartnerProfile.Empty(partnerId);
        return PartnerProfileResponse.From(profile, time.GetUtcNowMicroseconds());
    }

    internal static Guid PartnerOf(Caller caller)
    {
        caller.EnsurePartnerUser();
        return caller.PartnerId!.Value;
    }
}

/// <summary>Replaces the calling partner's profile (its admins only), if If-Match (when given) names its current version.</summary>
public sealed record UpdatePartnerProfile(Caller Caller, UpdateProfileRequest Body, string? IfMatch) : ICommand<PartnerProfileResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

/// <summary>
/// Load, let the domain normalize and compare, save the profile with its timeline entry and its partner.profileUpdated
/// event in one transaction. A PUT that changes nothing writes nothing and answers the profile as it is.
/// </summary>
public sealed class UpdatePartnerProfileHandler(LeadsDbContext db, TimeProvider time, OutboxWriter outbox, IOptions<HttpJsonOptions> json)
    : ICommandHandler<UpdatePartnerProfile, PartnerProfileResponse>
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async ValueTask<PartnerProfileResponse> Handle(UpdatePartnerProfile command, CancellationToken cancellationToken)
    {
        var partnerId = GetPartnerProfileHandler.PartnerOf(command.Caller);
        var now = time.GetUtcNowMicroseconds();
        if (command.Body.Pause?.Until is { } until && FieldLimits.PauseUntil.Refuse(until, now) is { } refused)
        {
            throw RequestValidationException.For("pause.until", refused);
        }

        var stored = await db.PartnerProfiles.SingleOrDefaultAsync(p => p.PartnerId == partnerId, cancellationToken);
        var current = stored?.ToProfile(_json) ?? PartnerProfile.Empty(partnerId);
        ProfileETag.EnsureMatches(command.IfMatch, current.Version, ProfileETag.Of(current, current.IsPausedAt(now)));
        var (updated, change) = current.Update(command.Body.ToDraft(), command.Caller.Actor, now);
        if (change is null)
        {
            return PartnerProfileResponse.From(current, now);
        }

        if (stored is null)
        {
            stored = StoredPartnerProfile.New(partnerId);
            db.PartnerProfiles.Add(stored);
        }

        stored.Write(updated, _json);
        var changes = change.ChangedFields.Select(f => new FieldChange(f, ValueOf(current, f), ValueOf(updated, f))).ToList();
        db.ProfileTimeline.Add(new ProfileTimelineEntry
        {
            PartnerId = partnerId,
            Id = change.Id,
            At = change.At,
            ActorKind = change.Actor.Kind,
            ActorId = change.Actor.Id,
            ActorName = change.Actor.Name,
            Version = change.Version,
            Changes = changes,
        });
        var response = PartnerProfileResponse.From(updated, now);
        db.Events.Add(outbox.ForProfileChange(response, Guid.CreateVersion7(now), now,
            [.. changes.Select(c => new EventFieldChange(c.Field, c.Before, c.After))]));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException error) when (error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two first saves raced: the other one made version 1, this one read version 0. As with a stale update, 409.
            throw new DbUpdateConcurrencyException("The profile was saved by another request since it was read.", error);
        }

        return response;
    }

    /// <summary>A member's value as the API writes it, as JSON text; null when it has none.</summary>
    private string? ValueOf(PartnerProfile profile, string field) => field switch
    {
        PartnerProfile.Fields.ExpertiseKeywords => Json(profile.ExpertiseKeywords),
        PartnerProfile.Fields.Industries => Json(profile.Industries),
        PartnerProfile.Fields.CompanySizes => Json(profile.CompanySizes),
        PartnerProfile.Fields.BusinessModels => Json(profile.BusinessModels),
        PartnerProfile.Fields.LeadTypes => Json(profile.LeadTypes),
        PartnerProfile.Fields.Languages => Json(profile.Languages),
        PartnerProfile.Fields.Locations => Json(profile.Locations),
        PartnerProfile.Fields.WeeklyCapacity => profile.WeeklyCapacity is { } capacity ? Json(capacity) : null,
        PartnerProfile.Fields.Pause => profile.Pause is { } pause ? Json(pause) : null,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a member of the profile."),
    };

    private string Json<T>(T value) => JsonSerializer.Serialize(value, _json);
}

/// <summary>The calling partner's profile changes, oldest first.</summary>
public sealed record GetProfileTimeline(Caller Caller) : IQuery<ProfileTimelineResponse>;

public sealed class GetProfileTimelineHandler(LeadsDbContext db) : IQueryHandler<GetProfileTimeline, ProfileTimelineResponse>
{
    public async ValueTask<ProfileTimelineResponse> Handle(GetProfileTimeline query, CancellationToken cancellationToken)
    {
        var partnerId = GetPartnerProfileHandler.PartnerOf(query.Caller);
        var entries = await db.ProfileTimeline.AsNoTracking()
            .Where(e => e.PartnerId == partnerId)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return new ProfileTimelineResponse([.. entries.Select(e =>
            new ProfileTimelineEntryResponse(e.Id, e.At, new Actor(e.ActorKind, e.ActorId, e.ActorName), e.Version, e.Changes))]);
    }
}
