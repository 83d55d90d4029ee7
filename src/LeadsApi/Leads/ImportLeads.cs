using System.Text.Json;
using System.Text.Json.Serialization;
using LeadsApi.Hosting;
using LeadsApi.Identity;
using LeadsApi.Limits;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LeadsApi.Leads;

/// <summary>Up to 100 leads a sender hands to partners in one call.</summary>
/// <param name="Leads">The leads, each the body POST /v1/leads takes. Each is created (or found by its externalId) on its own: one that is not valid fails alone, in its result.</param>
/// <remarks>
/// The items bind as JSON, not as <see cref="CreateLeadRequest"/>: a lead whose JSON does not fit (an unknown member, a
/// wrong type) is a failed item, not a body that cannot be read at all.
/// </remarks>
public sealed record ImportLeadsRequest(
    [property: PublishedAs(typeof(IReadOnlyList<CreateLeadRequest>))]
    [Limit(nameof(FieldLimits.BatchLeads))] IReadOnlyList<JsonElement>? Leads) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Count("leads", Leads, FieldLimits.BatchLeads);
    }
}

/// <summary>What became of each lead of a batch, in the order they were sent.</summary>
/// <param name="Results">One result per lead sent, in the same order: results[i] is about leads[i] (and says so in its index).</param>
public sealed record ImportLeadsResponse(IReadOnlyList<LeadImportResult> Results);

/// <summary>
/// What became of one lead of a batch. <c>outcome</c> says which of three it is: <c>created</c> (status 201, with the lead),
/// <c>replayed</c> (status 200: a lead you sent before with this externalId, or earlier in this batch, with the lead as it is
/// now) or <c>failed</c> (status 4xx or 5xx, with the problem POST /v1/leads would have answered; nothing of this lead was
/// stored). <c>status</c> is the HTTP status POST /v1/leads would have answered with.
/// </summary>
/// <param name="Index">The lead's position in the request's leads, from 0.</param>
/// <param name="Status">The HTTP status POST /v1/leads would have answered for this lead alone.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "outcome")]
[JsonDerivedType(typeof(LeadImportCreated), "created")]
[JsonDerivedType(typeof(LeadImportReplayed), "replayed")]
[JsonDerivedType(typeof(LeadImportFailed), "failed")]
public abstract record LeadImportResult([property: JsonPropertyOrder(-2)] int Index, [property: JsonPropertyOrder(-1)] int Status);

/// <summary>The lead was created: status 201.</summary>
/// <param name="Index">The lead's position in the request's leads, from 0.</param>
/// <param name="Lead">The new lead as you see it.</param>
/// <param name="Location">The lead's address, as POST /v1/leads gives it in Location.</param>
[ClosedSchema]
public sealed record LeadImportCreated(int Index, SenderLeadResponse Lead, string Location) : LeadImportResult(Index, StatusCodes.Status201Created);

/// <summary>You sent a lead with this externalId before (in an earlier call, or earlier in this batch): status 200, nothing new was created.</summary>
/// <param name="Index">The lead's position in the request's leads, from 0.</param>
/// <param name="Lead">The lead the first one created, as it is now.</param>
/// <param name="Location">The lead's address.</param>
[ClosedSchema]
public sealed record LeadImportReplayed(int Index, SenderLeadResponse Lead, string Location) : LeadImportResult(Index, StatusCodes.Status200OK);

/// <summary>The lead was not stored, nothing of it: status 400 (validation-failed or malformed-json), 500 or 503.</summary>
/// <param name="Index">The lead's position in the request's leads, from 0.</param>
/// <param name="Status">The problem's status.</param>
/// <param name="Problem">
/// What POST /v1/leads would have answered for this lead alone: its errors name the fields as that call does (customer.email,
/// not leads[2].customer.email), and its instance names the lead in the request (/v1/leads/batch#/leads/2). A 503
/// (service-unavailable) lead may be sent again later; after the first, the leads that follow it are not tried.
/// </param>
[ClosedSchema]
public sealed record LeadImportFailed(int Index, int Status, Problem Problem) : LeadImportResult(Index, Status);

public sealed record ImportLeads(Caller Caller, ImportLeadsRequest Body) : ICommand<ImportLeadsResponse>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

/// <summary>
/// Creates each lead of a batch through <see cref="CreateLead"/>, one after the other, so a lead of a batch is held to the
/// same rules as one sent alone. Each is its own transaction (CreateLead saves once): a lead that fails leaves nothing
/// behind and does not stop the others, and a lead is never stored without its timeline and events.
/// </summary>
public sealed partial class ImportLeadsHandler(IMediator mediator, LeadsDbContext db, IOptions<HttpJsonOptions> json, ILogger<ImportLeadsHandler> logger)
    : ICommandHandler<ImportLeads, ImportLeadsResponse>
{
    public const string Path = "/v1/leads/batch";

    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async ValueTask<ImportLeadsResponse> Handle(ImportLeads command, CancellationToken cancellationToken)
    {
        var leads = command.Body.Leads!;
        var results = new List<LeadImportResult>(leads.Count);
        var unavailable = false;
        var (created, replayed) = (0, 0);
        for (var index = 0; index < leads.Count; index++)
        {
            // Once the database is unavailable, each lead after would wait for it in turn: they fail at once instead.
            var result = unavailable
                ? Failed(index, ProblemFactory.Create(ProblemCatalog.ServiceUnavailable, "Not tried: the database was unavailable for an earlier lead of this batch."))
                : await ImportAsync(command.Caller, index, leads[index], cancellationToken);
            unavailable |= result.Status == StatusCodes.Status503ServiceUnavailable;
            created += result is LeadImportCreated ? 1 : 0;
            replayed += result is LeadImportReplayed ? 1 : 0;
            results.Add(result);
        }

        LogImported(command.Caller.SenderId, leads.Count, created, replayed);
        return new ImportLeadsResponse(results);
    }

    private async Task<LeadImportResult> ImportAsync(Caller caller, int index, JsonElement item, CancellationToken cancellationToken)
    {
        try
        {
            var body = item.Deserialize<CreateLeadRequest>(_json) ?? throw new MissingBodyException();
            var (lead, created) = await mediator.Send(new CreateLead(caller, body), cancellationToken);
            var location = $"/v1/leads/{lead.Id}";
            return created ? new LeadImportCreated(index, lead, location) : new LeadImportReplayed(index, lead, location);
        }
        catch (JsonException e)
        {
            return Failed(index, LeadsExceptionHandler.FromJson(e, typeof(CreateLeadRequest), _json));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (LeadsExceptionHandler.Describe(e, typeof(CreateLeadRequest), _json) is { } problem)
            {
                return Failed(index, problem);
            }

            LogUnhandled(e, index);
            return Failed(index, ProblemFactory.Create(ProblemCatalog.InternalError));
        }
        finally
        {
            // A failed save leaves its rows tracked, and every lead saved stays tracked: the next lead starts from nothing.
            db.ChangeTracker.Clear();
        }
    }

    private static LeadImportFailed Failed(int index, ProblemDetails problem) =>
        new(index, problem.Status!.Value, Problem.From(problem, $"{Path}#/leads/{index}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Sender {SenderId} imported a batch of {Count} leads: {Created} created, {Replayed} replayed, the rest failed")]
    private partial void LogImported(Guid? senderId, int count, int created, int replayed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception creating lead {Index} of a batch")]
    private partial void LogUnhandled(Exception exception, int index);
}
