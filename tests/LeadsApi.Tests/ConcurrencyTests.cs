using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsApi.Tests.Infrastructure;

namespace LeadsApi.Tests;

public sealed class ConcurrencyTests(LeadsApiFactory api) : IClassFixture<LeadsApiFactory>
{
    private const int Racers = 20;
    private static readonly string[] ConflictCodes = ["invalid-transition", "concurrent-update"];

    [Fact]
    public async Task TwentyParallelAcceptsAndDeclines_OnOneReceivedLead_ExactlyOneWins()
    {
        var partner = await api.NewPartnerAsync();
        var sender = await api.NewSenderAsync();
        var clients = ClientsOf(partner);
        try
        {
            // A few rounds, each on a fresh lead, so a lucky interleaving cannot hide a lost race.
            for (var round = 0; round < 3; round++)
            {
                var id = (await sender.CreateLeadAsync(partner.PartnerId)).Id();

                var responses = await RaceAsync(clients, (client, i) => i % 2 == 0
                    ? client.PostAsJsonAsync($"/v1/leads/{id}/accept", Api.AcceptBody)
                    : client.PostAsJsonAsync($"/v1/leads/{id}/decline", Api.DeclineBody));

                var winner = Assert.Single(responses, r => r.Response.StatusCode == HttpStatusCode.OK);
                var won = await winner.Response.ShouldBeAsync(HttpStatusCode.OK);
                var expectedStatus = winner.Index % 2 == 0 ? "accepted" : "declined";
                Assert.Equal(expectedStatus, won.Str("status"));
                foreach (var (_, loser) in responses.Where(r => r != winner))
                {
                    var problem = await loser.ShouldBeAsync(HttpStatusCode.Conflict);
                    Assert.Equal("application/problem+json", loser.Content.Headers.ContentType?.MediaType);
                    Assert.Contains(problem.Str("code"), ConflictCodes);
                }

                var final = await partner.Admin.GetJsonAsync($"/v1/leads/{id}");
                Assert.Equal(expectedStatus, final.Str("status"));
                Assert.Equal(won.Str("etag"), final.Str("etag"));
                Assert.Equal(["received", expectedStatus], await TimelineKindsAsync(partner.Admin, id));
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task ParallelDealEdits_OnAnAcceptedLead_NeverLoseAnUpdateSilently()
    {
        var partner = await api.NewPartnerAsync();
        var id = (await (await api.NewSenderAsync()).AcceptedLeadAsync(partner)).Id();
        var clients = ClientsOf(partner);
        var succeeded = new List<JsonElement>();
        try
        {
            for (var round = 0; round < 3; round++)
            {
                var responses = await RaceAsync(clients, (client, i) =>
                    client.PatchJsonAsync($"/v1/leads/{id}", $$"""{ "dealName": "Edit {{round}}-{{i}}" }"""));

                foreach (var (_, response) in responses)
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        succeeded.Add(await response.ShouldBeAsync(HttpStatusCode.OK));
                    }
                    else
                    {
                        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "concurrent-update");
                    }
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.True(succeeded.Count >= 3, "each round lets at least one edit through");
        var edits = (await TimelineAsync(partner.Admin, id)).Where(e => e.Str("kind") == "dealEdited")
            .Select(e => e.GetProperty("changes").EnumerateArray().Single(c => c.Str("field") == "dealName"))
            .ToList();
        var answered = succeeded.Select(l => l.GetProperty("deal").Str("dealName")).Order(StringComparer.Ordinal);
        Assert.Equal(answered, edits.Select(c => c.Str("after")).Order(StringComparer.Ordinal));
        // Every edit starts from the one before it: none was written over a stale copy.
        Assert.Equal("Fabrikam mailbox move", edits[0].Str("before"));
        for (var i = 1; i < edits.Count; i++)
        {
            Assert.Equal(edits[i - 1].Str("after"), edits[i].Str("before"));
        }

        Assert.Equal(succeeded.Count, succeeded.Select(l => l.Str("etag")).Distinct().Count());
        var final = await partner.Admin.GetJsonAsync($"/v1/leads/{id}");
        Assert.Equal(edits[^1].Str("after"), final.GetProperty("deal").Str("dealName"));
    }

    [Fact]
    public async Task ParallelTeamAdds_OnAnAcceptedLead_KeepEveryMemberThatWasCreated()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).AcceptedLeadAsync(partner);
        var id = lead.Id();
        var clients = ClientsOf(partner);
        var created = new List<string>();
        try
        {
            var responses = await RaceAsync(clients, (client, i) =>
                client.PostAsJsonAsync($"/v1/leads/{id}/team", new { name = $"Member {i}" }));

            foreach (var (_, response) in responses)
            {
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    created.Add((await response.ShouldBeAsync(HttpStatusCode.Created)).Id());
                }
                else
                {
                    await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "concurrent-update");
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.NotEmpty(created);
        var team = (await partner.Admin.GetJsonAsync($"/v1/leads/{id}")).GetProperty("team").EnumerateArray().Select(m => m.Id());
        var original = lead.GetProperty("team").EnumerateArray().Select(m => m.Id());
        Assert.Equal(original.Concat(created).Order(StringComparer.Ordinal), team.Order(StringComparer.Ordinal));
        Assert.Equal(created.Count, (await TimelineKindsAsync(partner.Admin, id)).Count(k => k == "teamMemberAdded"));
    }

    /// <summary>Twenty clients on one key, each with its own HttpClient.</summary>
    private List<HttpClient> ClientsOf(PartnerClients partner) =>
        [.. Enumerable.Range(0, Racers).Select(_ => api.ClientWithKey(partner.AdminKey))];

    /// <summary>Starts every request at once and waits for all of them.</summary>
    private static async Task<(int Index, HttpResponseMessage Response)[]> RaceAsync(
        List<HttpClient> clients, Func<HttpClient, int, Task<HttpResponseMessage>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = clients.Select((client, i) => Task.Run(async () =>
        {
            await start.Task;
            return (i, await send(client, i));
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(racers);
    }

    private static async Task<JsonElement[]> TimelineAsync(HttpClient client, string id) =>
        [.. (await client.GetJsonAsync($"/v1/leads/{id}/timeline")).GetProperty("items").EnumerateArray()];

    private static async Task<string[]> TimelineKindsAsync(HttpClient client, string id) =>
        [.. (await TimelineAsync(client, id)).Select(e => e.Str("kind"))];
}
