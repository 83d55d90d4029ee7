using System.Text.Json;

namespace LeadsApi.Client;

/// <summary>
/// getLead answers per caller (a oneOf of LeadResponse and SenderLeadResponse), and NSwag types the call with the
/// first member, the partner's representation. That drops what only the sender's has: a routed lead's
/// <c>routing</c>, <c>previousLeadId</c> and <c>nextLeadId</c>. This reads the same endpoint as the second member, with
/// the generated client's HTTP client and serializer settings, so a sender can follow its request from lead to lead.
/// </summary>
public partial class LeadsApiClient
{
    /// <summary>GET /v1/leads/{id} as the lead's sender reads it.</summary>
    public async Task<SenderLeadResponse> GetSentLeadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await _httpClient.GetAsync(new Uri($"{BaseUrl}v1/leads/{id}"), cancellationToken);
        ProcessResponse(_httpClient, response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode != 200)
        {
            var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => h.Value);
            throw new ApiException($"getLead (as the sender) answered {(int)response.StatusCode}", (int)response.StatusCode, text, headers, null);
        }

        return JsonSerializer.Deserialize<SenderLeadResponse>(text, JsonSerializerSettings)
            ?? throw new ApiException("getLead (as the sender) answered null", 200, text, new Dictionary<string, IEnumerable<string>>(), null);
    }
}
