using LeadsApi.Identity;
using LeadsApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LeadsApi.Leads;

/// <summary>
/// Stars or unstars a lead for the calling user. It carries the state the star should end in, so a
/// retried PUT or DELETE changes nothing the second time.
/// </summary>
public sealed record ToggleFavorite(Caller Caller, Guid LeadId, bool Favorite) : ICommand;

public sealed class ToggleFavoriteHandler(LeadsDbContext db, TimeProvider time) : ICommandHandler<ToggleFavorite>
{
    public async ValueTask<Unit> Handle(ToggleFavorite command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var lead = await db.Leads.AsNoTracking().GetVisibleAsync(caller, command.LeadId, cancellationToken);
        if (command.Favorite)
        {
            var now = time.GetUtcNowMicroseconds();
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO leads.favorites (partner_id, user_id, lead_id, created_at)
                VALUES ({lead.PartnerId}, {caller.UserId}, {lead.Id}, {now})
                ON CONFLICT DO NOTHING
                """,
                cancellationToken);
        }
        else
        {
            await db.Favorites
                .Where(f => f.PartnerId == lead.PartnerId && f.UserId == caller.UserId && f.LeadId == lead.Id)
                .ExecuteDeleteAsync(cancellationToken);
        }

        return Unit.Value;
    }
}
