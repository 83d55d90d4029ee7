using System.Collections.ObjectModel;
using System.Globalization;

namespace LeadsApi.Domain.Leads;

/// <summary>
/// A lead handed to a partner, and the one place that knows its rules: every action is a method
/// that either changes the lead and records the change on its timeline, or throws a
/// <see cref="LeadRuleException"/> saying why not.
/// </summary>
/// <remarks>
/// A received lead whose respond-by time has passed is expired for every reader and every action at
/// once, whether or not <see cref="Expire"/> has written it yet: read the status through
/// <see cref="StatusAt"/>, never <see cref="Status"/> alone.
/// </remarks>
public sealed class Lead
{
    /// <summary>The most people a deal's team holds, the contacts given on accept included.</summary>
    public const int MaxTeamMembers = 20;

    private static readonly ReadOnlyCollection<LeadAction> ReceivedActions = Array.AsReadOnly([LeadAction.Accept, LeadAction.Decline]);
    private static readonly ReadOnlyCollection<LeadAction> AcceptedActions = Array.AsReadOnly(
        [LeadAction.Edit, LeadAction.AddTeamMember, LeadAction.RemoveTeamMember, LeadAction.MarkWon, LeadAction.MarkLost]);

    private readonly List<LeadChange> _pendingChanges = [];
    private List<TeamMember> _team = [];

    private Lead()
    {
        // For EF Core.
        Sender = null!;
        Customer = null!;
        Need = null!;
    }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public LeadType Type { get; private set; }
    public SenderRef Sender { get; private set; }
    public string? ExternalId { get; private set; }
    public string? CampaignId { get; private set; }
    public Customer Customer { get; private set; }
    public string Need { get; private set; }
    public bool ContactRequested { get; private set; }

    /// <summary>The status as last written. Readers want <see cref="StatusAt"/>.</summary>
    public LeadStatus Status { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }
    public DateTimeOffset RespondBy { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Set when the service chose the partner (routing on create), and on every lead it handed the request on to.</summary>
    public LeadRouting? Routing { get; private set; }

    /// <summary>Why this lead reached its partner, when the service chose it.</summary>
    public LeadMatch? Match { get; private set; }

    /// <summary>The lead of the same request that the partner before declined or let expire.</summary>
    public Guid? PreviousLeadId { get; private set; }

    /// <summary>The lead the service handed the request on to, after this one was declined or expired.</summary>
    public Guid? NextLeadId { get; private set; }

    public Deal? Deal { get; private set; }
    public IReadOnlyList<TeamMember> Team => _team;
    public DeclineAnswer? Decline { get; private set; }
    public Outcome? Outcome { get; private set; }

    /// <summary>
    /// The lead's version: 1 when received, one more with every change it records. A write made from a stale
    /// version fails, and an event carries the version it describes, so a receiver can discard an older one.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>Timeline entries recorded since the lead was loaded and not yet saved.</summary>
    public IReadOnlyList<LeadChange> PendingChanges => _pendingChanges;

    public void ClearPendingChanges() => _pendingChanges.Clear();

    public static Lead Receive(NewLead details, LeadWindows windows, Actor sender, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(windows);
        var lead = new Lead
        {
            Id = Guid.CreateVersion7(now),
            PartnerId = details.PartnerId,
            Type = details.Type,
            Sender = details.Sender,
            ExternalId = details.ExternalId,
            CampaignId = details.CampaignId,
            Customer = details.Customer,
            Need = details.Need,
            ContactRequested = details.ContactRequested,
            Routing = details.Routing,
            Match = details.Match,
            PreviousLeadId = details.PreviousLeadId,
            Status = LeadStatus.Received,
            ReceivedAt = now,
            RespondBy = now + windows.ResponseWindow,
            UpdatedAt = now,
        };
        lead.Record(LeadChangeKind.Received, sender, now, null, []);
        return lead;
    }

    /// <summary>The status as every reader sees it at <paramref name="now"/>; queries read it through <see cref="LeadRules"/>.</summary>
    public LeadStatus StatusAt(DateTimeOffset now) =>
        LeadRules.IsPastRespondBy(this, now) ? LeadStatus.Expired : Status;

    public LeadStage StageAt(DateTimeOffset now) => StatusAt(now).Stage();

    /// <summary>When the lead was archived, as every reader sees it at <paramref name="now"/>: an expired lead closed at its respond-by time.</summary>
    public DateTimeOffset? ClosedAtAsOf(DateTimeOffset now) =>
        StatusAt(now) == LeadStatus.Expired ? ClosedAt ?? RespondBy : ClosedAt;

    public IReadOnlyList<LeadAction> AllowedActionsAt(DateTimeOffset now) => StatusAt(now) switch
    {
        LeadStatus.Received => ReceivedActions,
        LeadStatus.Accepted => AcceptedActions,
        _ => [],
    };

    public ContactRequest ContactRequestAt(DateTimeOffset now, TimeSpan hotWindow)
    {
        if (!ContactRequested)
        {
            return new ContactRequest(false, null, null);
        }

        var hotUntil = ReceivedAt + hotWindow;
        if (StageAt(now) == LeadStage.Archived)
        {
            // Nobody has to call about an archived lead: no fire icon, no follow-up.
            return new ContactRequest(true, null, hotUntil);
        }

        var state = LeadRules.IsWithinHotWindow(this, now, hotWindow) ? ContactRequestState.Hot : ContactRequestState.FollowUp;
        return new ContactRequest(true, state, hotUntil);
    }

    public void Accept(Acceptance acceptance, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(acceptance);
        EnsureAllowed(LeadAction.Accept, now);
        if (acceptance.Contacts.Count > MaxTeamMembers)
        {
            throw new LeadValidationException("contacts", $"At most {MaxTeamMembers} contacts.");
        }

        var deal = new Deal(
            acceptance.DealName,
            acceptance.EstimatedValue,
            acceptance.EstimatedCloseDate,
            acceptance.Notes,
            acceptance.CrmId,
            acceptance.CampaignId ?? CampaignId);
        Deal = deal;
        _team = [.. acceptance.Contacts.Select(NewMember)];
        AcceptedAt = now;
        Transition(LeadStatus.Accepted, LeadChangeKind.Accepted, actor, now, Leads.Deal.Changes(null, deal));
    }

    public void DeclineWith(DeclineReason reason, string? notes, Actor actor, DateTimeOffset now)
    {
        EnsureAllowed(LeadAction.Decline, now);
        if (reason == DeclineReason.Other && string.IsNullOrWhiteSpace(notes))
        {
            throw new LeadValidationException("notes", "Notes are required when the reason is 'other'.");
        }

        Decline = new DeclineAnswer(reason, notes);
        ClosedAt = now;
        Transition(LeadStatus.Declined, LeadChangeKind.Declined, actor, now,
            [new FieldChange("reason", null, Names.Of(reason)), .. NotesChange(notes)]);
    }

    public void EditDeal(DealPatch patch, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(patch);
        EnsureAllowed(LeadAction.Edit, now);

        var before = Deal!;
        var after = before.With(patch);
        var changes = Leads.Deal.Changes(before, after);
        if (changes.Count == 0)
        {
            return;
        }

        Deal = after;
        Touch(LeadChangeKind.DealEdited, actor, now, changes);
    }

    public TeamMember AddTeamMember(NewTeamMember member, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(member);
        EnsureAllowed(LeadAction.AddTeamMember, now);
        // The team is read and written whole with its lead, so it must not grow without bound.
        if (_team.Count >= MaxTeamMembers)
        {
            throw new LeadValidationException("team", $"The team already has {MaxTeamMembers} members, the most it can hold; remove one first.");
        }

        var added = NewMember(member);
        _team = [.. _team, added];
        Touch(LeadChangeKind.TeamMemberAdded, actor, now, [new FieldChange("team", null, added.Name)]);
        return added;
    }

    public void RemoveTeamMember(Guid memberId, Actor actor, DateTimeOffset now)
    {
        EnsureAllowed(LeadAction.RemoveTeamMember, now);

        var member = Team.FirstOrDefault(m => m.Id == memberId) ?? throw new TeamMemberNotFoundException(memberId);
        _team = [.. _team.Where(m => m.Id != memberId)];
        Touch(LeadChangeKind.TeamMemberRemoved, actor, now, [new FieldChange("team", member.Name, null)]);
    }

    public void MarkWon(Money finalValue, DateOnly closedOn, string? notes, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(finalValue);
        EnsureAllowed(LeadAction.MarkWon, now);
        if (closedOn < DateOnly.FromDateTime(AcceptedAt!.Value.UtcDateTime))
        {
            throw new LeadValidationException("closedOn", "A lead cannot be won before the day it was accepted.");
        }

        // A day of slack: "today" where the partner is may already be tomorrow in UTC.
        if (closedOn > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
        {
            throw new LeadValidationException("closedOn", "A lead cannot be won on a day that has not come yet.");
        }

        Outcome = new Outcome(LeadStatus.Won, finalValue, closedOn, null, notes);
        ClosedAt = now;
        Transition(LeadStatus.Won, LeadChangeKind.Won, actor, now,
            [new FieldChange("finalValue", null, Leads.Deal.Format(finalValue)),
             new FieldChange("closedOn", null, closedOn.ToString("O", CultureInfo.InvariantCulture)),
             .. NotesChange(notes)]);
    }

    public void MarkLost(LostReason reason, string? notes, Actor actor, DateTimeOffset now)
    {
        EnsureAllowed(LeadAction.MarkLost, now);
        if (reason == LostReason.Other && string.IsNullOrWhiteSpace(notes))
        {
            throw new LeadValidationException("notes", "Notes are required when the reason is 'other'.");
        }

        Outcome = new Outcome(LeadStatus.Lost, null, null, reason, notes);
        ClosedAt = now;
        Transition(LeadStatus.Lost, LeadChangeKind.Lost, actor, now,
            [new FieldChange("reason", null, Names.Of(reason)), .. NotesChange(notes)]);
    }

    /// <summary>
    /// Writes down what readers already see: a received lead past its respond-by time is expired.
    /// Returns false, changing nothing, when the lead is not (or no longer) due.
    /// </summary>
    public bool Expire(DateTimeOffset now)
    {
        if (!LeadRules.IsPastRespondBy(this, now))
        {
            return false;
        }

        ClosedAt = RespondBy;
        Transition(LeadStatus.Expired, LeadChangeKind.Expired, Actor.System, now, []);
        return true;
    }

    /// <summary>
    /// Whether the service should hand this lead's request on now: it is routed with re-routing, was declined (but not as
    /// a duplicate) or expired as written, has hops left, and was not handed on or ended yet.
    /// </summary>
    public bool IsDueForRerouting => NextLeadId is null && Routing?.HandsOn(Status, Decline) == true;

    /// <summary>
    /// Hands the request on: a new received lead for <paramref name="partnerId"/> with the same customer, need and routing
    /// (one hop further), linked both ways. This lead records the link on its timeline; it stays archived.
    /// </summary>
    public Lead HandOn(Guid partnerId, LeadMatch match, LeadWindows windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (!IsDueForRerouting)
        {
            throw new InvalidOperationException($"Lead {Id} is not due for re-routing.");
        }

        var next = Receive(
            new NewLead(partnerId, Type, Sender, Customer, Need, ContactRequested, CampaignId, ExternalId, Routing!.Next(partnerId), match, Id),
            windows, Actor.System, now);
        NextLeadId = next.Id;
        Touch(LeadChangeKind.Rerouted, Actor.System, now, [new FieldChange("nextLeadId", null, next.Id.ToString())]);
        return next;
    }

    /// <summary>Ends the request's routing: no partner is left that could take it.</summary>
    public void EndRouting(RoutingEnd end, DateTimeOffset now)
    {
        if (!IsDueForRerouting)
        {
            throw new InvalidOperationException($"Lead {Id} is not due for re-routing.");
        }

        Routing = Routing! with { End = end };
        Touch(LeadChangeKind.RoutingEnded, Actor.System, now, [new FieldChange("routingEnd", null, Names.Of(end))]);
    }

    private void EnsureAllowed(LeadAction action, DateTimeOffset now)
    {
        var status = StatusAt(now);
        if (status == LeadStatus.Expired)
        {
            throw new LeadExpiredException(action, RespondBy);
        }

        var allowed = AllowedActionsAt(now);
        if (!allowed.Contains(action))
        {
            throw new InvalidLeadTransitionException(action, status, allowed);
        }
    }

    private void Transition(LeadStatus to, LeadChangeKind kind, Actor actor, DateTimeOffset now, IReadOnlyList<FieldChange> changes)
    {
        var from = Status;
        Status = to;
        UpdatedAt = now;
        Record(kind, actor, now, from, changes);
    }

    private void Touch(LeadChangeKind kind, Actor actor, DateTimeOffset now, IReadOnlyList<FieldChange> changes)
    {
        UpdatedAt = now;
        Record(kind, actor, now, Status, changes);
    }

    private void Record(LeadChangeKind kind, Actor actor, DateTimeOffset now, LeadStatus? from, IReadOnlyList<FieldChange> changes)
    {
        Version++;
        _pendingChanges.Add(new LeadChange(Guid.CreateVersion7(now), kind, actor, now, from, Status, changes));
    }

    private static TeamMember NewMember(NewTeamMember member) =>
        new(Guid.NewGuid(), member.Name, member.Phone, member.Email);

    private static FieldChange[] NotesChange(string? notes) =>
        notes is null ? [] : [new FieldChange("notes", null, notes)];
}
