using LeadsApi.Domain.Leads;
using Microsoft.Extensions.Time.Testing;

namespace LeadsApi.Domain.Tests.Leads;

/// <summary>The respond-by and hot windows at their edges, with the default and other configured lengths.</summary>
public class TimeWindowTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    public static TheoryData<TimeSpan> ResponseWindows =>
        [LeadWindows.Default.ResponseWindow, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)];

    public static TheoryData<TimeSpan> HotWindows =>
        [LeadWindows.Default.HotWindow, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)];

    [Fact]
    public void Default_Windows_AreFourteenDaysAndSeventyTwoHours()
    {
        Assert.Equal(TimeSpan.FromDays(14), LeadWindows.Default.ResponseWindow);
        Assert.Equal(TimeSpan.FromHours(72), LeadWindows.Default.HotWindow);
    }

    [Theory]
    [MemberData(nameof(ResponseWindows))]
    public void RespondBy_IsReceivedAtPlusResponseWindow(TimeSpan window)
    {
        var lead = LeadFactory.Received(new LeadWindows(window, LeadWindows.Default.HotWindow));

        Assert.Equal(LeadFactory.ReceivedAt, lead.ReceivedAt);
        Assert.Equal(LeadFactory.ReceivedAt + window, lead.RespondBy);
    }

    [Theory]
    [MemberData(nameof(ResponseWindows))]
    public void Received_OneTickBeforeRespondBy_IsStillAcceptable(TimeSpan window)
    {
        var clock = new FakeTimeProvider(LeadFactory.ReceivedAt);
        var lead = LeadFactory.Received(new LeadWindows(window, LeadWindows.Default.HotWindow), at: clock.GetUtcNow());
        clock.Advance(window - OneTick);
        var now = clock.GetUtcNow();

        Assert.Equal(LeadStatus.Received, lead.StatusAt(now));
        Assert.Equal(LeadStage.Received, lead.StageAt(now));
        Assert.Equal([LeadAction.Accept, LeadAction.Decline], lead.AllowedActionsAt(now));

        lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Accepted, lead.Status);
    }

    [Theory]
    [MemberData(nameof(ResponseWindows))]
    public void Received_AtRespondBy_IsExpiredAndAcceptThrows(TimeSpan window)
    {
        var clock = new FakeTimeProvider(LeadFactory.ReceivedAt);
        var lead = LeadFactory.Received(new LeadWindows(window, LeadWindows.Default.HotWindow), at: clock.GetUtcNow());
        clock.Advance(window);
        var now = clock.GetUtcNow();
        var before = LeadSnapshot.Of(lead);

        Assert.Equal(LeadStatus.Expired, lead.StatusAt(now));
        Assert.Equal(LeadStage.Archived, lead.StageAt(now));
        Assert.Empty(lead.AllowedActionsAt(now));

        var error = Assert.Throws<LeadExpiredException>(() => lead.Accept(LeadFactory.Acceptance(), LeadFactory.Partner, now));

        Assert.Equal(LeadStatus.Expired, error.CurrentStatus);
        Assert.Empty(error.AllowedActions);
        Assert.Equal(lead.RespondBy, error.RespondBy);
        Assert.Equal(before, LeadSnapshot.Of(lead));
    }

    [Fact]
    public void Accepted_LongPastRespondBy_NeverExpires()
    {
        var lead = LeadFactory.Accepted();
        var now = lead.RespondBy.AddDays(30);

        Assert.Equal(LeadStatus.Accepted, lead.StatusAt(now));
        Assert.Equal(LeadStage.Accepted, lead.StageAt(now));

        lead.MarkWon(new Money(11500.00m, "EUR"), LeadFactory.WonOn, null, LeadFactory.Partner, now);

        Assert.Equal(LeadStatus.Won, lead.Status);
    }

    [Fact]
    public void ContactRequestAt_WhenNotRequested_HasNoState()
    {
        var lead = LeadFactory.Received(contactRequested: false);

        Assert.Equal(new ContactRequest(false, null, null), lead.ContactRequestAt(LeadFactory.ReceivedAt, LeadWindows.Default.HotWindow));
        Assert.Equal(new ContactRequest(false, null, null), lead.ContactRequestAt(LeadFactory.ReceivedAt.AddDays(5), LeadWindows.Default.HotWindow));
    }

    [Theory]
    [MemberData(nameof(HotWindows))]
    public void ContactRequestAt_BeforeHotWindowEnds_IsHot(TimeSpan hotWindow)
    {
        var clock = new FakeTimeProvider(LeadFactory.ReceivedAt);
        var lead = LeadFactory.Received(at: clock.GetUtcNow());
        var hotUntil = LeadFactory.ReceivedAt + hotWindow;

        Assert.Equal(new ContactRequest(true, ContactRequestState.Hot, hotUntil), lead.ContactRequestAt(clock.GetUtcNow(), hotWindow));
        clock.Advance(hotWindow - OneTick);
        Assert.Equal(new ContactRequest(true, ContactRequestState.Hot, hotUntil), lead.ContactRequestAt(clock.GetUtcNow(), hotWindow));
    }

    [Theory]
    [MemberData(nameof(HotWindows))]
    public void ContactRequestAt_FromHotWindowEnd_IsFollowUp(TimeSpan hotWindow)
    {
        var clock = new FakeTimeProvider(LeadFactory.ReceivedAt);
        var lead = LeadFactory.Received(at: clock.GetUtcNow());
        var hotUntil = LeadFactory.ReceivedAt + hotWindow;

        clock.Advance(hotWindow);
        Assert.Equal(new ContactRequest(true, ContactRequestState.FollowUp, hotUntil), lead.ContactRequestAt(clock.GetUtcNow(), hotWindow));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new ContactRequest(true, ContactRequestState.FollowUp, hotUntil), lead.ContactRequestAt(clock.GetUtcNow(), hotWindow));
    }

    [Fact]
    public void ContactRequestAt_WhenFollowUp_LeadStaysActionable()
    {
        var lead = LeadFactory.Received();
        var now = LeadFactory.ReceivedAt + LeadWindows.Default.HotWindow;

        Assert.Equal(ContactRequestState.FollowUp, lead.ContactRequestAt(now, LeadWindows.Default.HotWindow).State);
        Assert.Equal([LeadAction.Accept, LeadAction.Decline], lead.AllowedActionsAt(now));
    }

    [Theory]
    [InlineData(LeadState.Won)]
    [InlineData(LeadState.Declined)]
    [InlineData(LeadState.ExpiredNotYetWritten)]
    public void ContactRequestAt_WhenArchived_HasNoStateEvenInsideTheHotWindow(LeadState state)
    {
        var (lead, now) = LeadFactory.In(state);

        var request = lead.ContactRequestAt(now, TimeSpan.FromDays(365));

        Assert.True(request.Requested);
        Assert.Null(request.State);
        Assert.Equal(lead.ReceivedAt + TimeSpan.FromDays(365), request.HotUntil);
    }
}
