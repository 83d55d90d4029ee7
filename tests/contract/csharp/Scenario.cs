using System.Globalization;
using System.Text.Json;
using LeadsApi.Client;

namespace LeadsApi.ClientScenario;

/// <summary>The steps, in order; each prints PASS or FAIL.</summary>
internal sealed class Scenario(
    LeadsApiClient sender, LeadsApiClient partner, Guid partnerId, WebhookReceiver receiver, LeadsApiClient platform, Func<string, LeadsApiClient> clientWithKey)
{
    // What a lead's sender hears: where its lead went, never the partner's own work on it.
    private static readonly string[] HeardBySender =
        ["lead.received", "lead.accepted", "lead.declined", "lead.expired", "lead.won", "lead.lost", "lead.rerouted", "lead.routingEnded"];

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
        "conditional-read",
        "mark-won",
        "decline",
        "wrong-transition-typed-409",
        "timeline",
        "sender-reads-what-became-of-it",
        "webhook-subscribe",
        "accept-with-webhook-subscribed",
        "webhook-delivered-signed",
        "webhook-delivery-log",
        "feed-has-the-event",
        "feed-cursor-next-page-empty",
        "sender-feed-hears-accepted",
        "webhook-merge-patch",
        "webhook-rotate-secret",
        "webhook-test-event",
        "webhook-delete",
        "api-key-create",
        "api-key-use-and-list",
        "api-key-revoke-then-401",
        "onboard-partner",
        "scorecard",
        "business-profile",
        "match-partners",
        "routed-create-and-reroute",
        "import-batch-mixed",
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

        await Step("conditional-read", async () =>
        {
            // NSwag answers a declared status without a body by throwing ApiException with that status: a 304 is one.
            var lead = await partner.GetLeadAsync(edited.Id);
            ApiException notModified;
            try
            {
                _ = await partner.GetLeadAsync(edited.Id, if_None_Match: lead.Etag);
                throw new CheckFailedException($"If-None-Match of the current ETag answered with the lead, status {partner.LastStatusCode}");
            }
            catch (ApiException e)
            {
                notModified = e;
            }

            Check.Same(notModified.StatusCode, 304, "HTTP status");
            Check.That(notModified.Headers.TryGetValue("ETag", out var etag) && etag.SequenceEqual([lead.Etag]), $"ETag {string.Join(",", etag ?? [])}");
            return lead.Etag;
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
            // Every answer, a problem included, says what is left of the budget it spent (draft-ietf-httpapi-ratelimit-headers).
            Check.That(
                error.Headers.TryGetValue("RateLimit", out var limit) && System.Text.RegularExpressions.Regex.IsMatch(limit.Single(), "^\"writes\";r=[0-9]+;t=[0-9]+$"),
                $"RateLimit {string.Join(",", limit ?? [])}");
            Check.That(
                error.Headers.TryGetValue("RateLimit-Policy", out var policy) && System.Text.RegularExpressions.Regex.IsMatch(policy.Single(), "^\"writes\";q=[0-9]+;w=[0-9]+$"),
                $"RateLimit-Policy {string.Join(",", policy ?? [])}");
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

        var (webhook, secret, url) = await Step<(WebhookResponse, string, string)>("webhook-subscribe", async () =>
        {
            var url = receiver.Start();
            var created = await partner.CreateWebhookAsync(new CreateWebhookRequest
            {
                Url = url,
                EventTypes = [EventType.Lead_accepted],
                Description = $"Client scenario {_run}",
            });
            Check.Same(partner.LastStatusCode, 201, "HTTP status");
            Check.Same(partner.LastLocation?.OriginalString, $"/v1/webhooks/{created.Id}", "Location");
            Check.Same(created.Url, url, "url");
            Check.Same(created.EventTypes, ["lead.accepted"], "eventTypes");
            Check.Same(created.Enabled, true, "enabled");
            Check.Same(created.PendingDeliveries, 0, "pendingDeliveries");
            Check.That(created.Secret is { } s && s.StartsWith("whsec_", StringComparison.Ordinal) && Convert.TryFromBase64String(s[6..], new byte[64], out _), $"secret {created.Secret}");
            // The secret is in this answer only.
            var list = await partner.ListWebhooksAsync();
            Check.That(list.Items.Any(w => w.Id == created.Id), "the webhook is not in the list");
            Check.That(list.Items.All(w => w.Secret is null), "a listed webhook shows its secret");
            Check.Same((await partner.GetWebhookAsync(created.Id)).Secret, null, "getWebhook's secret");
            return (created, created.Secret!, url);
        });

        var acceptedToo = await Step("accept-with-webhook-subscribed", async () =>
        {
            var lead = await partner.AcceptLeadAsync(qualified.Id, new AcceptLeadRequest
            {
                DealName = "Litware licensing review",
                EstimatedValue = new MoneyInput { Amount = 30000, Currency = CurrencyCode.EUR },
                EstimatedCloseDate = closeDate,
            });
            Check.Same(lead.Status, LeadStatus.Accepted, "status");
            return lead;
        });

        var delivered = await Step("webhook-delivered-signed", async () =>
        {
            var received = await receiver.WaitForAsync(
                "lead.accepted", m => m.Type == "lead.accepted" && m.Json.GetProperty("leadId").GetString() == acceptedToo.Id.ToString());
            received.CheckSigned(secret);
            var message = received.Json;
            Check.Same(message.GetProperty("partnerId").GetGuid(), partnerId, "partnerId");
            Check.That(message.GetProperty("leadVersion").GetInt32() > 1, $"leadVersion {message.GetProperty("leadVersion")}");
            // data.lead is untyped in the contract ({}): it is the partner's Lead representation here.
            var lead = message.GetProperty("data").GetProperty("lead");
            Check.Same(lead.GetProperty("status").GetString(), "accepted", "data.lead.status");
            Check.Same(lead.GetProperty("deal").GetProperty("dealName").GetString(), "Litware licensing review", "data.lead.deal.dealName");
            var changes = message.GetProperty("data").GetProperty("changes").EnumerateArray().Select(Change).ToList();
            Check.That(changes.Contains("status: received -> accepted"), $"changes {string.Join("; ", changes)}");
            Check.Same(message.GetProperty("data").GetProperty("reminder").ValueKind, JsonValueKind.Null, "data.reminder");
            // The subscription wants lead.accepted only: none of the partner's other events came.
            Check.Same(receiver.Received.Select(r => r.Type).Distinct(), ["lead.accepted"], "types received");
            return received;
        });
        var eventId = Guid.Parse(delivered.Id);

        await Step("webhook-delivery-log", async () =>
        {
            // The log is written once the receiver has answered, a moment after the message arrived.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
            while (true)
            {
                var page = await partner.ListWebhookDeliveriesAsync(webhook.Id, limit: 10);
                var delivery = page.Items.FirstOrDefault(d => d.MessageId == eventId);
                Check.That(delivery is not null, $"no delivery of {eventId} in the log: {string.Join(", ", page.Items.Select(d => d.MessageId))}");
                if (delivery!.State == DeliveryState.Delivered)
                {
                    Check.Same(delivery.EventType, "lead.accepted", "eventType");
                    Check.Same(delivery.NextAttemptAt, null, "nextAttemptAt");
                    Check.That(delivery.Attempts.Count > 0, "no attempt");
                    Check.Same(delivery.Attempts.Last().StatusCode, 204, "the attempt's statusCode");
                    Check.Same(delivery.Attempts.Last().Error, null, "the attempt's error");
                    break;
                }

                Check.That(DateTimeOffset.UtcNow < deadline, $"the delivery is still {delivery.State}");
                await Task.Delay(200);
            }

            var read = await partner.GetWebhookAsync(webhook.Id);
            Check.That(read.LastSuccessAt is not null, "lastSuccessAt is null");
            Check.Same(read.LastFailure, null, "lastFailure");
            return read;
        });

        var feed = await Step("feed-has-the-event", async () =>
        {
            var (events, cursor) = await FindInFeedAsync(partner, $"event {eventId}", e => e.Id == eventId);
            var inFeed = events.Single(e => e.Id == eventId);
            // The feed and the webhook carry the same message.
            var body = delivered.Json;
            Check.Same(inFeed.Type, body.GetProperty("type").GetString(), "type");
            Check.Same(inFeed.Timestamp, body.GetProperty("timestamp").GetDateTimeOffset(), "timestamp");
            Check.Same(inFeed.LeadId, acceptedToo.Id, "leadId");
            Check.Same(inFeed.LeadVersion, body.GetProperty("leadVersion").GetInt32(), "leadVersion");
            // data.lead is a oneOf (the partner's lead or the sender's): NSwag types it with the first member, the partner's.
            var lead = body.GetProperty("data").GetProperty("lead");
            // data.lead is null only on partner.profileUpdated, which is about no lead.
            Check.That(inFeed.Data.Lead is not null, "data.lead is null on a lead's event");
            Check.Same(inFeed.Data.Lead!.Id, lead.GetProperty("id").GetGuid(), "data.lead.id");
            Check.Same(inFeed.Data.Lead.Status, LeadStatus.Accepted, "data.lead.status");
            Check.Same(inFeed.Data.Lead.Etag, lead.GetProperty("etag").GetString(), "data.lead.etag");
            Check.Same(inFeed.Data.Lead.Deal?.DealName, lead.GetProperty("deal").GetProperty("dealName").GetString(), "data.lead.deal.dealName");
            Check.Same(
                inFeed.Data.Changes.Select(c => $"{c.Field}: {c.Previous ?? "null"} -> {c.Current ?? "null"}"),
                body.GetProperty("data").GetProperty("changes").EnumerateArray().Select(Change),
                "data.changes");
            Check.Same(events.Select(e => e.Id).Distinct().Count(), events.Count, "each event once");
            return cursor;
        });

        await Step("feed-cursor-next-page-empty", async () =>
        {
            var page = await partner.ListEventsAsync(after: feed);
            Check.Same(page.Items.Count, 0, "items");
            Check.Same(page.HasMore, false, "hasMore");
            Check.That(page.Cursor.Length > 0, "no cursor on an empty page");
            return page;
        });

        await Step("sender-feed-hears-accepted", async () =>
        {
            var (events, _) = await FindInFeedAsync(sender, "lead.accepted (sender)", e => e.Type == "lead.accepted" && e.LeadId == acceptedToo.Id);
            var heard = events.First(e => e.Type == "lead.accepted" && e.LeadId == acceptedToo.Id);
            // One event per recipient: the sender's has an id of its own, and the lead as the sender sees it.
            Check.That(heard.Id != eventId, "the sender's event has the partner's id");
            // The sender's lead, read through the partner's type (the first member of the oneOf): the partner's own members stay empty.
            Check.That(heard.Data.Lead is not null, "data.lead is null on a lead's event");
            Check.Same(heard.Data.Lead!.Status, LeadStatus.Accepted, "data.lead.status");
            Check.That(heard.Data.Lead.Deal is null && (heard.Data.Lead.Team?.Count ?? 0) == 0, "the sender's lead has a deal or a team");
            Check.That(events.All(e => HeardBySender.Contains(e.Type)), $"the sender heard the partner's own work: {string.Join(", ", events.Select(e => e.Type).Distinct())}");
            return heard;
        });

        await Step("webhook-merge-patch", async () =>
        {
            // Only the description: the rest stays (LeadsApiClient.Json.cs leaves the null members out).
            var patched = await partner.UpdateWebhookAsync(webhook.Id, new UpdateWebhookRequest { Description = $"Client scenario {_run}, patched" });
            Check.Same(patched.Description, $"Client scenario {_run}, patched", "description (patched)");
            Check.Same(patched.Url, url, "url (left out, kept)");
            Check.Same(patched.EventTypes, ["lead.accepted"], "eventTypes (left out, kept)");
            Check.Same(patched.Enabled, true, "enabled (left out, kept)");
            return patched;
        });

        var rotated = await Step("webhook-rotate-secret", async () =>
        {
            var after = await partner.RotateWebhookSecretAsync(webhook.Id);
            Check.That(after.Secret is { } s && s.StartsWith("whsec_", StringComparison.Ordinal) && s != secret, $"new secret {after.Secret}");
            Check.That(after.PreviousSecretExpiresAt is not null, "previousSecretExpiresAt is null");
            return after.Secret!;
        });

        await Step("webhook-test-event", async () =>
        {
            var delivery = await partner.TestWebhookAsync(webhook.Id);
            Check.Same(partner.LastStatusCode, 202, "HTTP status");
            Check.Same(delivery.EventType, "webhook.test", "eventType");
            Check.Same(delivery.State, DeliveryState.Pending, "state");
            var received = await receiver.WaitForAsync("webhook.test", m => m.Id == delivery.MessageId.ToString());
            received.CheckSigned(rotated);
            // While the rotation overlaps, each message is signed with both secrets.
            Check.That(received.SignedWith(secret), "not signed with the previous secret too");
            Check.Same(received.Header("webhook-signature").Split(' ').Length, 2, "signatures");
            // The contract does not describe the test message (only EventMessage): read it as JSON.
            Check.Same(received.Type, "webhook.test", "type");
            Check.Same(received.Json.GetProperty("data").GetProperty("webhookId").GetGuid(), webhook.Id, "data.webhookId");
            return received;
        });

        await Step("webhook-delete", async () =>
        {
            await partner.DeleteWebhookAsync(webhook.Id);
            Check.Same(partner.LastStatusCode, 204, "HTTP status");
            try
            {
                var still = await partner.GetWebhookAsync(webhook.Id);
                throw new CheckFailedException($"the deleted webhook {still.Id} is still there");
            }
            catch (ApiException<Problem> e)
            {
                Check.Same(e.StatusCode, 404, "getWebhook after the delete");
                Check.Same(e.Result.Code, "webhook-not-found", "code");
                return e.Result;
            }
        });

        var apiKey = await Step("api-key-create", async () =>
        {
            var key = await partner.CreateApiKeyAsync(new CreateApiKeyRequest { Name = $"Client scenario {_run}", Roles = [PartnerRole.ReferralsReader] });
            Check.Same(partner.LastStatusCode, 201, "HTTP status");
            Check.Same(partner.LastLocation?.OriginalString, $"/v1/api-keys/{key.Id}", "Location");
            Check.That(key.Secret is { Length: 47 } secret && secret.StartsWith("lak_", StringComparison.Ordinal), $"secret {key.Secret}");
            Check.Same(key.Prefix, key.Secret![..12], "prefix");
            Check.Same(string.Join(",", key.Roles), "referralsReader", "roles");
            return key;
        });

        var keyClient = clientWithKey(apiKey.Secret!);
        await Step("api-key-use-and-list", async () =>
        {
            await keyClient.ListLeadsAsync(limit: 1);
            Check.Same(keyClient.LastStatusCode, 200, "listLeads with the new key");
            try
            {
                await keyClient.ListApiKeysAsync();
                throw new CheckFailedException("a reader's key listed the keys");
            }
            catch (ApiException<Problem> e)
            {
                Check.Same(e.StatusCode, 403, "listApiKeys with a reader's key");
                Check.Same(e.Result.Code, "forbidden", "code");
            }

            var listed = (await partner.ListApiKeysAsync(limit: 200)).Items.SingleOrDefault(k => k.Id == apiKey.Id);
            Check.That(listed is not null, "the new key is not in the list");
            Check.Same(listed!.Secret, null, "the listed key's secret");
            Check.Same(listed.Prefix, apiKey.Prefix, "the listed key's prefix");
            Check.That(listed.LastUsedAt is not null, "lastUsedAt is null after a use");
        });

        await Step("api-key-revoke-then-401", async () =>
        {
            await partner.RevokeApiKeyAsync(apiKey.Id);
            Check.Same(partner.LastStatusCode, 204, "revokeApiKey status");
            try
            {
                await keyClient.ListLeadsAsync(limit: 1);
                throw new CheckFailedException("the revoked key still works");
            }
            catch (ApiException<Problem> e)
            {
                Check.Same(e.StatusCode, 401, "listLeads with the revoked key");
                Check.Same(e.Result.Code, "unauthenticated", "code");
            }
        });

        await Step("onboard-partner", async () =>
        {
            var onboarded = await platform.OnboardPartnerAsync(new OnboardPartnerRequest { Name = $"Client scenario partner {_run}" });
            Check.Same(platform.LastStatusCode, 201, "HTTP status");
            Check.Same(string.Join(",", onboarded.Key.Roles), "partnerAdmin", "the first key's roles");
            var admin = clientWithKey(onboarded.Key.Secret!);
            var keys = await admin.ListApiKeysAsync();
            Check.Same(keys.Items.Select(k => k.Id).Single(), onboarded.Key.Id, "the new partner's keys");
        });

        await Step("scorecard", async () =>
        {
            var card = await partner.GetOwnScorecardAsync("30d");
            Check.Same(partner.LastStatusCode, 200, "getOwnScorecard status");
            var byStatus = card.Current.Leads.ByStatus;
            Check.That(byStatus.Won >= 1 && byStatus.Declined >= 1, "the won and the declined lead are not counted");
            Check.Same(byStatus.Received + byStatus.Accepted + byStatus.Won + byStatus.Lost + byStatus.Declined + byStatus.Expired, card.Current.Leads.Total, "the statuses add up to the total");
            Check.That(card.Current.Rates.Win is not null, "no win rate after a won lead");
            var read = await platform.GetPartnerScorecardAsync(card.PartnerId, "30d");
            Check.Same(read.Current.Leads.Total, card.Current.Leads.Total, "the platform admin's read of the same scorecard");
        });

        await Step("business-profile", async () =>
        {
            var before = await partner.GetPartnerProfileAsync();
            Check.Same(before.PartnerId, partnerId, "the profile's partner");
            var body = new UpdateProfileRequest
            {
                ExpertiseKeywords = [" Microsoft 365 ", "TEAMS", $"cs {_run}", "microsoft 365"],
                CompanySizes = [CompanySize.Small, CompanySize.Medium],
                BusinessModels = [BusinessModel.ProjectServices],
                LeadTypes = [LeadType.CustomerInquiry],
                Languages = ["PT-pt"],
                Locations =
                [
                    new LocationInput
                    {
                        Name = "Lisbon office", Country = CountryCode.PT, Coordinates = new CoordinatesInput { Latitude = 38.7223, Longitude = -9.1393 },
                        ServiceRadiusKm = 150, Contact = new NotificationContactInput { Name = "Li Wei", Email = "li@contoso.example" },
                    },
                ],
                WeeklyCapacity = 20,
            };
            var saved = await partner.UpdatePartnerProfileAsync(body, if_Match: before.Etag);
            Check.Same(saved.ExpertiseKeywords, ["microsoft 365", "teams", $"cs {_run}"], "normalized keywords");
            Check.Same(saved.Languages, ["pt-PT"], "normalized language");
            Check.Same(saved.Version, before.Version + 1, "version");
            try
            {
                // The ETag read before the change is stale now: a typed 412 with the tag to retry with.
                await partner.UpdatePartnerProfileAsync(new UpdateProfileRequest { ExpertiseKeywords = ["azure"] }, if_Match: before.Etag);
                throw new CheckFailedException("a stale If-Match changed the profile");
            }
            catch (ApiException<Problem> e)
            {
                Check.Same(e.StatusCode, 412, "stale If-Match status");
                Check.Same(e.Result.Code, "precondition-failed", "code");
                Check.Same(e.Result.CurrentETag, saved.Etag, "currentETag");
            }

            var timeline = await partner.GetPartnerProfileTimelineAsync();
            Check.Same(timeline.Items.Last().Version, saved.Version, "the timeline's last entry");
            var (events, _) = await FindInFeedAsync(partner, "partner.profileUpdated", e => e.Type == "partner.profileUpdated" && e.Data.Profile?.Version == saved.Version);
            var profileEvent = events.First(e => e.Type == "partner.profileUpdated" && e.Data.Profile?.Version == saved.Version);
            Check.That(profileEvent.LeadId is null, "a profile event names a lead");
        });

        await Step("match-partners", async () =>
        {
            // The profile saved above has the keyword `cs <run>`: this request finds the partner by it, in its country.
            var matches = await sender.FindMatchesAsync(new FindMatchesRequest
            {
                LeadType = LeadType.CustomerInquiry, Keywords = [$"cs {_run}"], Country = CountryCode.PT,
                Coordinates = new CoordinatesInput { Latitude = 38.7223, Longitude = -9.1393 }, Language = "pt-PT", Limit = 100,
            });
            var mine = matches.Partners.FirstOrDefault(p => p.PartnerId == partnerId)
                ?? throw new CheckFailedException("the partner whose profile has the keyword is not ranked");
            Check.Same(mine.Components.Select(c => c.Component.ToString()).ToList(), ["ProfileFit", "Proximity", "Responsiveness", "OutcomeFit", "Capacity"], "components");
            Check.That(mine.Score is >= 0 and <= 1, $"a score outside [0, 1]: {mine.Score}");
            Check.Same(mine.Components.ElementAt(1).Value, 1.0, "proximity within the 150 km radius");
            try
            {
                // The typed request always carries leadType and country (enums); a limit out of range is what it can get wrong.
                await sender.FindMatchesAsync(new FindMatchesRequest { LeadType = LeadType.CustomerInquiry, Country = CountryCode.PT, Limit = 0 });
                throw new CheckFailedException("a request with limit 0 was answered");
            }
            catch (ApiException<Problem> e)
            {
                Check.Same(e.StatusCode, 400, "status");
                Check.Same(e.Result.Errors?.Keys.ToList(), ["limit"], "fields");
            }
        });

        await Step("routed-create-and-reroute", async () =>
        {
            // No partnerId: the service ranks the partners for the request and hands the lead to the first. The keyword
            // `cs <run>` is in the profile saved above only, so the lead lands on this scenario's partner.
            var routed = await sender.CreateLeadAsync(new CreateLeadRequest
            {
                Type = LeadType.CustomerInquiry,
                Customer = new CustomerInput { CompanyName = $"Wingtip Toys {_run}", ContactName = "Pedro Santos", Country = CountryCode.PT },
                Need = "Set up Teams for 25 people",
                Routing = new RoutingInput
                {
                    Mode = RoutingMode.BestMatch, Reroute = true, MaxHops = 2, Keywords = [$"cs {_run}"],
                    Coordinates = new CoordinatesInput { Latitude = 38.7223, Longitude = -9.1393 }, Language = "pt-PT",
                },
            });
            Check.Same(sender.LastStatusCode, 201, "HTTP status");
            Check.Same(routed.PartnerId, partnerId, "the partner routing chose");
            Check.Same(routed.Routing, new RoutingResponse { Mode = RoutingMode.BestMatch, Reroute = true, MaxHops = 2, Hop = 0, End = null }, "routing");
            Check.Same((routed.PreviousLeadId, routed.NextLeadId), ((Guid?)null, (Guid?)null), "previousLeadId, nextLeadId");
            Check.Same(routed.Match?.Rank, 1, "match.rank");

            // Why this lead reached the partner: its own score and rank (the routing is the sender's).
            var read = await partner.GetLeadAsync(routed.Id);
            var match = read.Match ?? throw new CheckFailedException("the partner's read has no match");
            Check.Same(match.Rank, 1, "match.rank");
            Check.Same(match.Score, routed.Match!.Score, "match.score (as the sender was told)");
            Check.That(match.Candidates >= 1 && match.Score is > 0 and <= 1, $"candidates {match.Candidates}, score {match.Score}");
            Check.Same(match.Components.Select(c => c.Component.ToString()).ToList(), ["ProfileFit", "Proximity", "Responsiveness", "OutcomeFit", "Capacity"], "match.components");
            Check.That(match.Reasons.Count > 0, "match.reasons is empty");

            await partner.DeclineLeadAsync(routed.Id, new DeclineLeadRequest { Reason = DeclineReason.NotAFit, Notes = "Fully booked" });
            // RerouteWorker hands the request on in the background (every 5 s by default): poll the sender's read. The
            // generated getLead reads the partner's representation, without routing and nextLeadId: GetSentLeadAsync.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            var sent = await sender.GetSentLeadAsync(routed.Id);
            while (sent.NextLeadId is null && sent.Routing?.End is null)
            {
                Check.That(DateTimeOffset.UtcNow < deadline, "neither nextLeadId nor routing.end within 30 s");
                await Task.Delay(500);
                sent = await sender.GetSentLeadAsync(routed.Id);
            }

            Check.Same(sent.Status, LeadStatus.Declined, "status");
            if (sent.NextLeadId is { } nextId)
            {
                // Another partner fits: the next lead is its, one hop further, linked back.
                Check.Same(sent.Routing?.End, null, "routing.end with a next lead");
                var next = await sender.GetSentLeadAsync(nextId);
                Check.Same((next.PreviousLeadId, next.Status, next.Routing?.Hop), ((Guid?)routed.Id, LeadStatus.Received, (int?)1), "the next lead's previousLeadId, status, hop");
                Check.That(next.PartnerId != partnerId, "the request went back to the partner that declined it");
            }
            else
            {
                Check.Same(sent.Routing?.End, RoutingEnd.NoPartnerLeft, "routing.end");
            }

            var type = sent.NextLeadId is null ? "lead.routingEnded" : "lead.rerouted";
            var (events, _) = await FindInFeedAsync(sender, $"{type} (sender)", e => e.Type == type && e.LeadId == routed.Id);
            var heard = events.First(e => e.Type == type && e.LeadId == routed.Id);
            Check.Same(
                heard.Data.Changes.Select(c => (c.Field, c.Previous, c.Current)).ToList(),
                [sent.NextLeadId is { } id ? ("nextLeadId", (string?)null, (string?)id.ToString()) : ("routingEnd", null, "noPartnerLeft")],
                "the event's changes");
            Check.Same(events.Where(e => e.LeadId == routed.Id).Select(e => e.Type).ToList(), ["lead.received", "lead.declined", type], "the sender's events for the lead");
            // The partner hears its own decline, never where the request went after it.
            var (partnerEvents, _) = await FindInFeedAsync(partner, "lead.declined (partner)", e => e.Type == "lead.declined" && e.LeadId == routed.Id);
            Check.That(!partnerEvents.Any(e => e.Type is "lead.rerouted" or "lead.routingEnded"), "the partner heard a sender-only event");
        });

        // Last: its leads would show in the lists and the feed the steps above check.
        await Step("import-batch-mixed", async () =>
        {
            CreateLeadRequest Lead(Guid partner, string externalId) => new()
            {
                PartnerId = partner,
                Type = LeadType.MarketingQualified,
                Customer = new CustomerInput { CompanyName = $"Tailspin {_run}", ContactName = "Mia Lopes" },
                Need = "A shop",
                ExternalId = externalId,
            };
            var answer = await sender.ImportLeadsAsync(new ImportLeadsRequest
            {
                // The lead declined above, by its externalId, comes back replayed as it is now; the last names no partner.
                Leads = [Lead(partnerId, $"cs-batch-{_run}"), Lead(partnerId, $"cs-{_run}"), Lead(Guid.Parse("0193a7c2-5b1e-7c41-9a3e-2f6d0c8b1a99"), $"cs-nowhere-{_run}")],
            });
            Check.Same(sender.LastStatusCode, 200, "HTTP status");
            Check.Same(answer.Results.Select(r => (r.Index, r.Status)).ToList(), [(0, 201), (1, 200), (2, 400)], "index, status");
            // The generated client reads each result as the subtype its outcome names.
            var results = answer.Results.ToList();
            var created = results[0] as LeadImportCreated ?? throw new CheckFailedException($"results[0] is a {results[0].GetType().Name}");
            var replayed = results[1] as LeadImportReplayed ?? throw new CheckFailedException($"results[1] is a {results[1].GetType().Name}");
            var failed = results[2] as LeadImportFailed ?? throw new CheckFailedException($"results[2] is a {results[2].GetType().Name}");
            Check.Same((created.Lead.ExternalId, created.Lead.Status, created.Location), ($"cs-batch-{_run}", LeadStatus.Received, $"/v1/leads/{created.Lead.Id}"), "created");
            Check.Same((replayed.Lead.Id, replayed.Lead.Status), (toDecline.Id, LeadStatus.Declined), "replayed");
            Check.Same((failed.Problem.Code, failed.Problem.Errors?.Keys.ToList()), ("validation-failed", (List<string>?)["partnerId"]), "failed problem");
            return answer;
        });
    }

    private static string Change(JsonElement change) =>
        $"{change.GetProperty("field").GetString() ?? "null"}: {change.GetProperty("previous").GetString() ?? "null"} -> {change.GetProperty("current").GetString() ?? "null"}";

    /// <summary>
    /// The caller's feed from the start, page by page until hasMore is false, reading on from the cursor until an event
    /// that matches shows up (bounded); returns every event read and the cursor to poll next.
    /// </summary>
    private static async Task<(List<EventMessage> Events, string Cursor)> FindInFeedAsync(LeadsApiClient client, string what, Func<EventMessage, bool> match)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        var events = new List<EventMessage>();
        string? cursor = null;
        for (var pages = 0; pages < 200; pages++)
        {
            var page = await client.ListEventsAsync(after: cursor, limit: 200);
            Check.Same(page.NextLink, $"/v1/events?after={page.Cursor}&limit=200", "nextLink (after=cursor)");
            events.AddRange(page.Items);
            cursor = page.Cursor;
            if (page.HasMore)
            {
                continue;
            }

            if (events.Any(match))
            {
                return (events, cursor);
            }

            // The feed shows an event once no transaction older than it is still open; that takes a moment at most.
            Check.That(DateTimeOffset.UtcNow < deadline, $"no {what} in the feed: {string.Join(", ", events.Select(e => $"{e.Type} {e.LeadId}"))}");
            await Task.Delay(200);
        }

        throw new CheckFailedException("the feed still had more after 200 pages");
    }

    /// <summary>A step that checks without returning anything.</summary>
    private Task<bool> Step(string name, Func<Task> body) => Step(name, async () =>
    {
        await body();
        return true;
    });

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
