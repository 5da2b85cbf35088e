using System.Net.Http.Headers;
using AgentMark.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AgentMark.Gateway.Tests;

/// <summary>A real gateway on a free loopback port over a temporary data folder.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public string DataDir { get; }
    public string ProjectDir { get; }
    public string BaseUrl { get; }
    public HttpClient Client { get; }

    private GatewayServer(WebApplication app, string dataDir, string projectDir)
    {
        _app = app;
        DataDir = dataDir;
        ProjectDir = projectDir;
        BaseUrl = app.BoundAddress();
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public static async Task<GatewayServer> StartAsync(params string[] extraArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), "agentmark-gw-" + Guid.NewGuid().ToString("N"));
        var dataDir = Path.Combine(root, "data");
        var projectDir = Path.Combine(root, "project");
        Directory.CreateDirectory(projectDir);
        var app = GatewayApp.Create(["--port", "0", "--data-dir", dataDir, "--project-dir", projectDir, .. extraArgs]);
        await app.StartAsync();
        return new GatewayServer(app, dataDir, projectDir);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(DataDir)!, recursive: true); } catch (IOException) { }
    }

    public Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType, string? contentEncoding = null, params (string, string)[] headers)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null) content.Headers.ContentEncoding.Add(contentEncoding);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        // Like curl, ask before uploading a large body so an early 413 arrives cleanly.
        if (body.Length > 1024 * 1024) request.Headers.ExpectContinue = true;
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return Client.SendAsync(request);
    }
}
