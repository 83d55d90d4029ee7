using LeadsApi.Domain.Leads;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>Each partner action called with valid arguments, so only the lead's state decides the result.</summary>
internal static class LeadActions
{
    public static void Perform(Lead lead, LeadAction action, DateTimeOffset now)
    {
        switch (action)
        {
            case LeadAction.Accept:
                lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now);
                break;
            case LeadAction.Decline:
                lead.DeclineWith(DeclineReason.NotAFit, "We do not serve retail", LeadFactory.Partner, now);
                break;
            case LeadAction.Edit:
                lead.EditDeal(new DealPatch(DealName: "Fabrikam tenant move"), LeadFactory.Partner, now);
                break;
            case LeadAction.AddTeamMember:
                lead.AddTeamMember(new NewTeamMember("Kim Park", null, "kim@contoso.example"), LeadFactory.Partner, now);
                break;
            case LeadAction.RemoveTeamMember:
                // A lead that never had a team gets an unknown id: its status must be refused before the id is looked up.
                lead.RemoveTeamMember(lead.Team.Count > 0 ? lead.Team[0].Id : Guid.NewGuid(), LeadFactory.Partner, now);
                break;
            case LeadAction.MarkWon:
                lead.MarkWon(new Money(11500.00m, "EUR"), LeadFactory.WonOn, "Signed", LeadFactory.Partner, now);
                break;
            case LeadAction.MarkLost:
                lead.MarkLost(LostReason.Competitor, "Chose a local firm", LeadFactory.Partner, now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }
}
