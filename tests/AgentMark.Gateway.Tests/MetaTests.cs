using System.Net;

namespace AgentMark.Gateway.Tests;

public sealed class MetaTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_answers_ok()
    {
        var body = await ApiAssert.Ok(await _server.Client.GetAsync("/health"));
        Assert.Equal("ok", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Capabilities_is_a_bare_object_with_every_endpoint()
    {
        var body = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/capabilities"));
        Assert.Equal("local", body.GetProperty("target").GetString());
        Assert.Equal(_server.BaseUrl.Replace("127.0.0.1", "localhost"), body.GetProperty("url").GetString()!.Replace("127.0.0.1", "localhost"));
        foreach (var key in new[] { "traces", "spans", "sessions", "scores", "score_analytics", "metrics", "experiments", "datasets", "prompts", "runs", "pricing" })
            Assert.True(body.GetProperty("endpoints").GetProperty(key).GetBoolean());
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Pricing_is_a_bare_map_per_thousand_tokens()
    {
        var response = await _server.Client.GetAsync("/v1/pricing");
        var body = await ApiAssert.Ok(response);
        Assert.Equal("public, max-age=86400", response.Headers.CacheControl?.ToString());
        var gpt4o = body.GetProperty("gpt-4o");
        Assert.Equal(0.0025, gpt4o.GetProperty("promptPrice").GetDouble(), 6);
        Assert.Equal(0.01, gpt4o.GetProperty("completionPrice").GetDouble(), 6);
        Assert.True(body.EnumerateObject().Count() > 50);
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Landing_page_names_the_version_and_answers_head()
    {
        var response = await _server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("AgentMark Gateway", await response.Content.ReadAsStringAsync());
        var head = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_a_json_404()
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/foobar"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal("Cannot GET /v1/foobar", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Wrong_methods_are_a_json_405()
    {
        await ApiAssert.Error(await _server.Client.DeleteAsync("/v1/traces"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await ApiAssert.Error(await _server.Client.PostAsync("/health", null), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Local_ui_origins_are_allowed_by_cors()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        var response = await _server.Client.SendAsync(request);
        Assert.Equal("http://localhost:3000", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
