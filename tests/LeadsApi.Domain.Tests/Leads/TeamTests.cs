using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

public class TeamTests
{
    [Fact]
    public void AddTeamMember_WhenAccepted_AppendsMemberWithFreshId()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var existing = lead.Team.ToList();

        var added = lead.AddTeamMember(new NewTeamMember("Kim Park", null, "kim@contoso.example"), LeadFactory.Partner, now);

        Assert.Equal(new TeamMember(added.Id, "Kim Park", null, "kim@contoso.example"), added);
        Assert.NotEqual(Guid.Empty, added.Id);
        Assert.DoesNotContain(existing, m => m.Id == added.Id);
        Assert.Equal([.. existing, added], lead.Team);
        Assert.Equal(now, lead.UpdatedAt);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.TeamMemberAdded, change.Kind);
        Assert.Equal(LeadStatus.Accepted, change.FromStatus);
        Assert.Equal(LeadStatus.Accepted, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal([new FieldChange("team", null, "Kim Park")], change.Changes);
    }

    [Fact]
    public void AddTeamMember_WhenTheTeamHasTheMostItCanHold_ThrowsNamingTeamAndAddsNobody()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        while (lead.Team.Count < Lead.MaxTeamMembers)
        {
            lead.AddTeamMember(new NewTeamMember($"Member {lead.Team.Count}", null, null), LeadFactory.Partner, now);
        }

        lead.ClearPendingChanges();
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<LeadValidationException>(() => lead.AddTeamMember(LeadFactory.LiWei, LeadFactory.Partner, now));

        Assert.Equal("team", error.Field);
        Assert.Equal(20, lead.Team.Count);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void Accept_WithMoreContactsThanATeamHolds_ThrowsNamingContacts()
    {
        var (lead, now) = LeadFactory.In(LeadState.Received);
        var before = LeadSnapshot.Of(lead);
        var contacts = Enumerable.Range(0, 21).Select(i => new NewTeamMember($"Contact {i}", null, null)).ToList();

        var error = Assert.Throws<LeadValidationException>(
            () => lead.Accept(LeadFactory.Acceptance() with { Contacts = contacts }, LeadFactory.Partner, now));

        Assert.Equal("contacts", error.Field);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void RemoveTeamMember_WhenAccepted_RemovesOnlyThatMember()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var (liWei, samOkafor) = (lead.Team[0], lead.Team[1]);

        lead.RemoveTeamMember(liWei.Id, LeadFactory.Partner, now);

        Assert.Equal([samOkafor], lead.Team);
        Assert.Equal(now, lead.UpdatedAt);
        var change = Assert.Single(lead.PendingChanges);
        Assert.Equal(LeadChangeKind.TeamMemberRemoved, change.Kind);
        Assert.Equal(LeadStatus.Accepted, change.FromStatus);
        Assert.Equal(LeadStatus.Accepted, change.ToStatus);
        Assert.Equal(LeadFactory.Partner, change.Actor);
        Assert.Equal([new FieldChange("team", "Li Wei", null)], change.Changes);
    }

    [Fact]
    public void RemoveTeamMember_WithUnknownId_ThrowsTeamMemberNotFound()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var before = LeadSnapshot.Of(lead);
        var unknown = Guid.NewGuid();

        var error = Assert.Throws<TeamMemberNotFoundException>(() => lead.RemoveTeamMember(unknown, LeadFactory.Partner, now));

        Assert.Equal(unknown, error.MemberId);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void RemoveTeamMember_WhenAlreadyRemoved_ThrowsTeamMemberNotFound()
    {
        var (lead, now) = LeadFactory.In(LeadState.Accepted);
        var memberId = lead.Team[0].Id;
        lead.RemoveTeamMember(memberId, LeadFactory.Partner, now);

        Assert.Throws<TeamMemberNotFoundException>(() => lead.RemoveTeamMember(memberId, LeadFactory.Partner, now));
        Assert.Single(lead.PendingChanges);
    }

    [Fact]
    public void AddTeamMember_WhenWon_Throws()
    {
        var (lead, now) = LeadFactory.In(LeadState.Won);
        var before = LeadSnapshot.Of(lead);

        var error = Assert.Throws<InvalidLeadTransitionException>(
            () => lead.AddTeamMember(LeadFactory.LiWei, LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Won, error.CurrentStatus);
        Assert.Empty(error.AllowedActions);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }
}
