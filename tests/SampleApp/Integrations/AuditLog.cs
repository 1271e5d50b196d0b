namespace SampleApp.Integrations;

/// <summary>Ships audit events to a remote audit service over HTTP.</summary>
public interface IAuditLog
{
    Task RecordAuditAsync(string action, string subject, CancellationToken cancellationToken = default);
}

public sealed class HttpAuditLog : IAuditLog
{
    private readonly HttpClient _http;

    public HttpAuditLog(HttpClient http) => _http = http;

    public async Task RecordAuditAsync(string action, string subject, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync("audit", new { action, subject, at = DateTime.UtcNow }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
