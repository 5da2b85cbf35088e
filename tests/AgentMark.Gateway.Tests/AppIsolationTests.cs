namespace AgentMark.Gateway.Tests;

public sealed class AppIsolationTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync("--AgentMark:Apps:0=app-a", "--AgentMark:Apps:1=app-b");
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> Total(string? app)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/traces");
        if (app is not null) request.Headers.Add("X-Agentmark-App-Id", app);
        return (await ApiAssert.Ok(await _server.Client.SendAsync(request))).GetProperty("pagination").GetProperty("total").GetInt64();
    }

    [Fact]
    public async Task Each_app_sees_only_its_own_traces()
    {
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.ProtobufBody(1, 2), "application/x-protobuf", null, ("X-Agentmark-App-Id", "app-a")));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.ProtobufBody(2, 2), "application/x-protobuf", null, ("X-Puzzlet-App-Id", "app-b")));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.ProtobufBody(3, 2), "application/x-protobuf", null, ("X-Agentmark-App-Id", "unknown-cloud-app")));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.ProtobufBody(4, 2), "application/x-protobuf", null, ("X-Agentmark-App-Id", "undefined")));

        Assert.Equal(1, await Total("app-a"));
        Assert.Equal(1, await Total("app-b"));
        Assert.Equal(2, await Total(null)); // unknown and blank app ids fall back to the local app
        var response = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/traces/{Otlp.TraceId(1)}") { Headers = { { "X-Agentmark-App-Id", "app-b" } } });
        await ApiAssert.Error(response, System.Net.HttpStatusCode.NotFound, "not_found");
    }
}
