using LeadsApi.Domain.Leads;
using LeadsApi.Identity;
using LeadsApi.Persistence;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

/// <summary>The member added, and the lead's new ETag.</summary>
public sealed record AddedTeamMember(TeamMember Member, string LeadETag);

public sealed record AddTeamMember(Caller Caller, Guid LeadId, TeamMemberInput Body, string? IfMatch) : ICommand<AddedTeamMember>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed class AddTeamMemberHandler(LeadChanges changes) : ICommandHandler<AddTeamMember, AddedTeamMember>
{
    public async ValueTask<AddedTeamMember> Handle(AddTeamMember command, CancellationToken cancellationToken)
    {
        TeamMember? added = null;
        var etag = await changes.ChangeAsync(command.Caller, command.LeadId, command.IfMatch,
            (target, now) => added = target.AddTeamMember(command.Body.ToNewTeamMember(), command.Caller.Actor, now), cancellationToken);
        return new AddedTeamMember(added!, etag);
    }
}

public sealed record RemoveTeamMember(Caller Caller, Guid LeadId, Guid MemberId, string? IfMatch) : ICommand<string>;

public sealed class RemoveTeamMemberHandler(LeadChanges changes) : ICommandHandler<RemoveTeamMember, string>
{
    /// <returns>The lead's new ETag.</returns>
    public async ValueTask<string> Handle(RemoveTeamMember command, CancellationToken cancellationToken)
    {
        return await changes.ChangeAsync(command.Caller, command.LeadId, command.IfMatch,
            (target, now) => target.RemoveTeamMember(command.MemberId, command.Caller.Actor, now), cancellationToken);
    }
}
