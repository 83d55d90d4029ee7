using System.Globalization;
using System.Net;
using LeadsApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsApi.Tests;

/// <summary>The service with every request run under de-DE, as a server set up in Germany runs it.</summary>
public sealed class GermanServerFactory : LeadsApiFactory
{
    public const string CultureHeader = "X-Test-Culture";

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter, GermanCulture>();

    private sealed class GermanCulture : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var german = CultureInfo.GetCultureInfo("de-DE");
                CultureInfo.CurrentCulture = german;
                CultureInfo.CurrentUICulture = german;
                // When the answer starts, so that it reports the culture the API wrote it in (an error answer clears headers set before).
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[CultureHeader] = CultureInfo.CurrentUICulture.Name;
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// Error codes and the fields they name come from exception types, JSON paths and the API's own parsing in the
/// invariant culture, never from the framework's (English) messages or the server's culture.
/// </summary>
public sealed class CultureTests(GermanServerFactory api) : IClassFixture<GermanServerFactory>
{
    [Theory]
    [InlineData("/accept", """{ "dealName": "Fabrikam move", "status": "won" }""", "status")]
    [InlineData("/accept", """{ "contacts": [ { "name": "Li Wei", "role": "owner" } ] }""", "contacts[0].role")]
    [InlineData("/accept", """{ "dealName": 42 }""", "dealName")]
    [InlineData("/accept", """{ "estimatedValue": { "amount": "12000,00", "currency": "EUR" } }""", "estimatedValue.amount")]
    [InlineData("/decline", """{ "reason": "bored" }""", "reason")]
    public async Task MalformedBody_UnderAGermanServer_NamesTheSameField(string action, string body, string field)
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}{action}", body);

        Assert.Equal("de-DE", response.Headers.GetValues(GermanServerFactory.CultureHeader).Single());
        await response.ShouldFailValidationAsync(field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task MissingBody_UnderAGermanServer_IsMalformedJson(string body)
    {
        var (partner, lead) = await ReceivedLeadAsync();

        var response = await partner.Admin.PostJsonAsync($"/v1/leads/{lead.Id()}/accept", body);

        Assert.Equal("de-DE", response.Headers.GetValues(GermanServerFactory.CultureHeader).Single());
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-json");
        Assert.Equal("A JSON body is required.", problem.Str("detail"));
    }

    // German notation a culture-sensitive parser would take: 1,5 and 24.11.2026 are not values of the contract.
    [Theory]
    [InlineData("/v1/leads?limit=1,5", "limit")]
    [InlineData("/v1/leads?updatedSince=24.11.2026%2010:00", "updatedSince")]
    [InlineData("/v1/leads?hot=wahr", "hot")]
    [InlineData("/v1/leads/nicht-eine-id", "id")]
    public async Task UnreadableValue_UnderAGermanServer_NamesTheParameter(string path, string parameter)
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.GetAsync(path);

        Assert.Equal("de-DE", response.Headers.GetValues(GermanServerFactory.CultureHeader).Single());
        var problem = await response.ShouldFailValidationAsync(parameter);
        Assert.Contains("is not a valid value", problem.GetProperty("errors").GetProperty(parameter)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvariantTimestamp_UnderAGermanServer_Lists()
    {
        var partner = await api.NewPartnerAsync();

        var response = await partner.Admin.GetAsync("/v1/leads?updatedSince=2026-11-24T10:00:00Z&limit=5&hot=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(PartnerClients Partner, System.Text.Json.JsonElement Lead)> ReceivedLeadAsync()
    {
        var partner = await api.NewPartnerAsync();
        var lead = await (await api.NewSenderAsync()).CreateLeadAsync(partner.PartnerId);
        return (partner, lead);
    }
}
