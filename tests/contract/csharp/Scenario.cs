using System.Globalization;
using System.Text.Json;
using LeadsApi.Client;

namespace LeadsApi.ClientScenario;

/// <summary>The steps, in order; each prints PASS or FAIL.</summary>
internal sealed class Scenario(LeadsApiClient sender, LeadsApiClient partner, Guid partnerId)
{
    private static readonly string[] Steps =
    [
        "create-customer-inquiry",
        "create-marketing-qualified",
        "create-lead-to-decline",
        "list-marketplace",
        "list-qualified",
        "accept-with-deal-and-contacts",
        "edit-deal-merge-patch",
        "add-team-member",
        "mark-won",
        "decline",
        "wrong-transition-typed-409",
        "timeline",
        "sender-reads-what-became-of-it",
    ];

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly string _run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
    private int _failures;

    public async Task<int> RunAsync()
    {
        var crashed = false;
        try
        {
            await StepsAsync();
        }
        catch (ScenarioStoppedException)
        {
            // Reported by the step that failed.
        }
        catch (Exception e)
        {
            // Anything unexpected is reported, and the steps left are still listed, as not run.
            crashed = true;
            await Console.Error.WriteLineAsync($"scenario: {e}");
        }

        foreach (var name in Steps.Where(s => !_reported.Contains(s)))
        {
            Report(name, passed: false, " (not run)");
        }

        return _failures > 0 || crashed ? 1 : 0;
    }

    private async Task StepsAsync()
    {
        var inquiry = await Step("create-customer-inquiry", async () =>
        {
            var lead = await sender.CreateLeadAsync(new CreateLeadRequest
            {
                PartnerId = partnerId,
                Type = LeadType.CustomerInquiry,
                Customer = new CustomerInput
                {
                    CompanyName = $"Fabrikam Ltd {_run}",
                    ContactName = "Ana Silva",
                    Email = "ana@fabrikam.example",
                    Phone = "+351 21 000 0000",
                    Country = CountryCode.PT,
                    CompanySize = CompanySize.Small,
                    Industry = "retail",
                },
                Need = "Move 40 mailboxes and set up Teams",
                ContactRequested = true,
                CampaignId = "CMP-2026-11",
            });
            Check.Same(sender.LastStatusCode, 201, "HTTP status");
            Check.Same(sender.LastLocation?.OriginalString, $"/v1/leads/{lead.Id}", "Location");
            Check.Same(lead.Status, LeadStatus.Received, "status");
            Check.Same(lead.Stage, LeadStage.Received, "stage");
            Check.Same(lead.Type, LeadType.CustomerInquiry, "type");
            Check.Same(lead.PartnerId, partnerId, "partnerId");
            // The answer is the lead as its sender sees it (SenderLeadResponse, which has no deal): a sender may do nothing to it.
            Check.Same(lead.AllowedActions, [], "allowedActions");
            Check.Same(lead.ContactRequest.State, ContactRequestState.Hot, "contactRequest.state");
            return lead;
        });

        var qualified = await Step("create-marketing-qualified", async () =>
        {
            var lead = await sender.CreateLeadAsync(new CreateLeadRequest
            {
                PartnerId = partnerId,
                Type = LeadType.MarketingQualified,
                Customer = new CustomerInput { CompanyName = $"Litware Inc {_run}", ContactName = "Sofia Rossi" },
                Need = "Mainframe maintenance",
            });
            Check.Same(sender.LastStatusCode, 201, "HTTP status");
            Check.Same(lead.Status, LeadStatus.Received, "status");
            Check.Same(lead.Type, LeadType.MarketingQualified, "type");
            Check.Same(lead.ContactRequest.Requested, false, "contactRequest.requested");
            Check.Same(lead.Customer.Email, null, "customer.email");
            return lead;
        });

        var toDecline = await Step("create-lead-to-decline", async () =>
        {
            var lead = await sender.CreateLeadAsync(new CreateLeadRequest
            {
                PartnerId = partnerId,
                Type = LeadType.SalesQualified,
                Customer = new CustomerInput { CompanyName = $"Northwind {_run}", ContactName = "Jan Kowalski", Country = CountryCode.PL },
                Need = "Twelve new laptops",
                ExternalId = $"cs-{_run}",
            });
            Check.Same(sender.LastStatusCode, 201, "HTTP status");
            Check.Same(lead.Status, LeadStatus.Received, "status");
            Check.Same(lead.ExternalId, $"cs-{_run}", "externalId");
            return lead;
        });

        await Step("list-marketplace", async () =>
        {
            var page = await partner.ListLeadsAsync(view: LeadView.Marketplace, stage: LeadStage.Received, sort: LeadSortOrder.MinusreceivedAt, limit: 50);
            var ids = page.Items.Select(l => l.Id).ToList();
            Check.That(ids.Contains(inquiry.Id), $"the customer inquiry {inquiry.Id} is not in the Marketplace tab: {string.Join(", ", ids)}");
            Check.That(!ids.Contains(qualified.Id) && !ids.Contains(toDecline.Id), "a qualified lead is in the Marketplace tab");
            Check.That(page.Items.All(l => l.Type == LeadType.CustomerInquiry && l.Stage == LeadStage.Received), "an item that is not a received customer inquiry");
            Check.Same(page.NextLink, null, "nextLink");
            return page;
        });

        await Step("list-qualified", async () =>
        {
            var page = await partner.ListLeadsAsync(view: LeadView.Qualified);
            var ids = page.Items.Select(l => l.Id).ToList();
            Check.That(ids.Contains(qualified.Id) && ids.Contains(toDecline.Id), $"the qualified leads are not in the Qualified tab: {string.Join(", ", ids)}");
            Check.That(!ids.Contains(inquiry.Id), "the customer inquiry is in the Qualified tab");
            Check.That(page.Items.All(l => l.Type != LeadType.CustomerInquiry), "a customer inquiry in the Qualified tab");
            return page;
        });

        var closeDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
        var accepted = await Step("accept-with-deal-and-contacts", async () =>
        {
            var lead = await partner.AcceptLeadAsync(
                inquiry.Id,
                new AcceptLeadRequest
                {
                    DealName = "Fabrikam mailbox move",
                    EstimatedValue = new MoneyInput { Amount = 12000, Currency = CurrencyCode.EUR },
                    EstimatedCloseDate = closeDate,
                    Notes = "Tenant-to-tenant move",
                    CrmId = "CRM-991",
                    Contacts = [new TeamMemberInput { Name = "Li Wei", Phone = "+351 21 000 0001", Email = "li@contoso.example" }],
                },
                if_Match: inquiry.Etag);
            Check.Same(lead.Status, LeadStatus.Accepted, "status");
            Check.Same(lead.Stage, LeadStage.Accepted, "stage");
            Check.That(lead.AcceptedAt is not null, "acceptedAt is null");
            Check.That(lead.Deal is not null, "no deal");
            Check.Same(lead.Deal!.DealName, "Fabrikam mailbox move", "deal.dealName");
            Check.Same(lead.Deal.EstimatedValue, new Money { Amount = 12000, Currency = "EUR" }, "deal.estimatedValue");
            Check.Same(lead.Deal.EstimatedCloseDate, closeDate, "deal.estimatedCloseDate");
            Check.Same(lead.Deal.CampaignId, "CMP-2026-11", "deal.campaignId (the lead's)");
            Check.Same(lead.Team.Select(m => m.Name), ["Li Wei"], "team");
            Check.That(lead.AllowedActions.Contains(LeadAction.MarkWon) && !lead.AllowedActions.Contains(LeadAction.Accept), $"allowedActions {string.Join(",", lead.AllowedActions)}");
            return lead;
        });

        var edited = await Step("edit-deal-merge-patch", async () =>
        {
            var lead = await partner.EditDealAsync(
                accepted.Id,
                // Unlike the TypeScript scenario, notes is changed rather than cleared: with the generated
                // EditDealRequest a null member cannot be told apart from a left-out one (LeadsApiClient.Json.cs).
                new EditDealRequest { EstimatedValue = new MoneyInput { Amount = 15000, Currency = CurrencyCode.EUR }, Notes = "Scope grew to 60 mailboxes" },
                if_Match: accepted.Etag);
            Check.That(lead.Deal is not null, "no deal");
            Check.Same(lead.Deal!.EstimatedValue, new Money { Amount = 15000, Currency = "EUR" }, "deal.estimatedValue (patched)");
            Check.Same(lead.Deal.Notes, "Scope grew to 60 mailboxes", "deal.notes (patched)");
            Check.Same(lead.Deal.DealName, "Fabrikam mailbox move", "deal.dealName (left out, kept)");
            Check.Same(lead.Deal.CrmId, "CRM-991", "deal.crmId (left out, kept)");
            Check.That(lead.Etag != accepted.Etag, "etag did not change");
            return lead;
        });

        await Step("add-team-member", async () =>
        {
            var member = await partner.AddTeamMemberAsync(
                edited.Id,
                new TeamMemberInput { Name = "Sam Shaw", Phone = "+351 21 000 0002", Email = "sam@contoso.example" },
                if_Match: edited.Etag);
            Check.Same(partner.LastStatusCode, 201, "HTTP status");
            Check.Same(partner.LastLocation?.OriginalString, $"/v1/leads/{edited.Id}/team/{member.Id}", "Location");
            Check.Same(member.Name, "Sam Shaw", "name");
            Check.Same(member.Email, "sam@contoso.example", "email");
            var lead = await partner.GetLeadAsync(edited.Id);
            Check.Same(lead.Team.Select(m => m.Name), ["Li Wei", "Sam Shaw"], "team after adding");
            return member;
        });

        var wonOn = await Step("mark-won", async () =>
        {
            var closedOn = DateOnly.FromDateTime(DateTime.UtcNow);
            var lead = await partner.MarkLeadWonAsync(
                accepted.Id,
                new MarkLeadWonRequest { FinalValue = new MoneyInput { Amount = 11500, Currency = CurrencyCode.EUR }, ClosedOn = closedOn, Notes = "Signed" });
            Check.Same(lead.Status, LeadStatus.Won, "status");
            Check.Same(lead.Stage, LeadStage.Archived, "stage");
            Check.Same(lead.AllowedActions, [], "allowedActions");
            Check.That(lead.ClosedAt is not null, "closedAt is null");
            Check.That(lead.Outcome is not null, "no outcome");
            Check.Same(lead.Outcome!.Result, LeadStatus.Won, "outcome.result");
            Check.Same(lead.Outcome.FinalValue, new Money { Amount = 11500, Currency = "EUR" }, "outcome.finalValue");
            Check.Same(lead.Outcome.ClosedOn, closedOn, "outcome.closedOn");
            return closedOn;
        });

        await Step("decline", async () =>
        {
            var lead = await partner.DeclineLeadAsync(toDecline.Id, new DeclineLeadRequest { Reason = DeclineReason.NotAFit, Notes = "We do not sell hardware" });
            Check.Same(lead.Status, LeadStatus.Declined, "status");
            Check.Same(lead.Stage, LeadStage.Archived, "stage");
            Check.Same(lead.Decline, new DeclineAnswer { Reason = DeclineReason.NotAFit, Notes = "We do not sell hardware" }, "decline");
            Check.Same(lead.AllowedActions, [], "allowedActions");
            return lead;
        });

        await Step("wrong-transition-typed-409", async () =>
        {
            ApiException<Problem> error;
            try
            {
                var lead = await partner.DeclineLeadAsync(accepted.Id, new DeclineLeadRequest { Reason = DeclineReason.NotAFit });
                throw new CheckFailedException($"declining a won lead answered with the lead, status {lead.Status}");
            }
            catch (ApiException<Problem> e)
            {
                error = e;
            }

            Check.Same(error.StatusCode, 409, "HTTP status");
            Check.That(
                error.Headers.TryGetValue("Content-Type", out var contentType) && contentType.Any(v => v.StartsWith("application/problem+json", StringComparison.Ordinal)),
                $"Content-Type {string.Join(",", contentType ?? [])}");
            var problem = error.Result;
            Check.Same(problem.Code, "invalid-transition", "code");
            Check.Same(problem.CurrentStatus, LeadStatus.Won, "currentStatus");
            Check.Same(problem.Status, 409, "problem.status");
            Check.Same(problem.AllowedActions ?? [], [], "problem.allowedActions");
            Check.Same(problem.Type, "/problems/invalid-transition", "problem.type");
            Check.Same(problem.Instance, $"/v1/leads/{accepted.Id}/decline", "problem.instance");
            // The code as the wire spells it, read without the generated types.
            using var body = JsonDocument.Parse(error.Response ?? "{}");
            Check.Same(body.RootElement.GetProperty("code").GetString(), "invalid-transition", "code on the wire");
            return problem;
        });

        await Step("timeline", async () =>
        {
            var timeline = await partner.GetLeadTimelineAsync(accepted.Id);
            Check.Same(
                timeline.Items.Select(e => e.Kind),
                [LeadChangeKind.Received, LeadChangeKind.Accepted, LeadChangeKind.DealEdited, LeadChangeKind.TeamMemberAdded, LeadChangeKind.Won],
                "timeline kinds");
            var last = timeline.Items.Last();
            Check.Same(last.FromStatus, LeadStatus.Accepted, "won entry fromStatus");
            Check.Same(last.ToStatus, LeadStatus.Won, "won entry toStatus");
            return timeline;
        });

        await Step("sender-reads-what-became-of-it", async () =>
        {
            // getLead, listLeads and getLeadTimeline answer per caller (a oneOf in the contract); NSwag types each call
            // with the first member, the partner's representation. The sender's answer fills the members the two share,
            // and the partner's own (deal, team, favorite, final value, outcome notes) stay empty.
            var won = await sender.GetLeadAsync(accepted.Id);
            Check.Same(won.Status, LeadStatus.Won, "status");
            Check.Same(won.AllowedActions, [], "allowedActions");
            Check.Same(won.CampaignId, "CMP-2026-11", "campaignId (the lead's)");
            Check.Same(won.Outcome?.Result, LeadStatus.Won, "outcome.result");
            Check.Same(won.Outcome?.ClosedOn, wonOn, "outcome.closedOn");
            Check.Same(won.Outcome?.FinalValue, null, "outcome.finalValue (the partner's)");
            Check.Same(won.Outcome?.Notes, null, "outcome.notes (the partner's)");
            Check.Same(won.Deal, null, "deal (the partner's)");
            Check.Same(won.Team.Count, 0, "team (the partner's)");
            var declined = await sender.GetLeadAsync(toDecline.Id);
            Check.Same(declined.Decline, new DeclineAnswer { Reason = DeclineReason.NotAFit, Notes = "We do not sell hardware" }, "decline (to tell the customer)");
            var page = await sender.ListLeadsAsync(sort: LeadSortOrder.MinusupdatedAt, limit: 200);
            Check.That(page.Items.Any(l => l.Id == accepted.Id) && page.Items.Any(l => l.Id == toDecline.Id), "the sender's leads are not in its list");
            Check.That(page.Items.All(l => l.Deal is null && l.Team.Count == 0), "a lead in the sender's list has a deal or a team");
            var timeline = await sender.GetLeadTimelineAsync(accepted.Id);
            // Status changes only: the deal edit and the team member added are the partner's own work.
            Check.Same(timeline.Items.Select(e => e.Kind), [LeadChangeKind.Received, LeadChangeKind.Accepted, LeadChangeKind.Won], "timeline kinds");
            return timeline;
        });
    }

    private async Task<T> Step<T>(string name, Func<Task<T>> body)
    {
        try
        {
            var value = await body();
            Report(name, passed: true);
            return value;
        }
        catch (Exception e) when (e is CheckFailedException or ApiException or HttpRequestException or JsonException)
        {
            Report(name, passed: false);
            var detail = e switch
            {
                ApiException<Problem> p => $"{p.StatusCode} {p.Result.Code}: {p.Result.Detail} {p.Response}",
                ApiException a => $"{a.StatusCode}: {a.Message} {a.InnerException?.Message}",
                _ => e.Message,
            };
            await Console.Error.WriteLineAsync($"  {name}: {detail}");
            throw new ScenarioStoppedException();
        }
    }

    private void Report(string name, bool passed, string suffix = "")
    {
        _reported.Add(name);
        if (!passed)
        {
            _failures++;
        }

        Console.WriteLine($"{(passed ? "PASS" : "FAIL")} {name}{suffix}");
    }
}
