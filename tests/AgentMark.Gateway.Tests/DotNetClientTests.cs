using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentMark.Gateway.Tests;

/// <summary>Real .NET clients exporting to a real gateway.</summary>
public sealed class DotNetClientTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private TracerProvider Provider(string source) => Sdk.CreateTracerProviderBuilder()
        .AddSource(source)
        .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("dotnet-client-tests"))
        .AddOtlpExporter(o =>
        {
            o.Endpoint = new Uri(_server.BaseUrl + "/v1/traces");
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.ExportProcessorType = ExportProcessorType.Simple;
        })
        .Build();

    [Fact]
    public async Task OpenTelemetry_sdk_otlp_exporter_spans_are_stored()
    {
        const string sourceName = "agentmark.tests.otel";
        using (var provider = Provider(sourceName))
        {
            using var source = new ActivitySource(sourceName);
            using (var root = source.StartActivity("invoke_agent planner", ActivityKind.Internal))
            {
                root!.SetTag("agentmark.session_id", "otel-session");
                using var chat = source.StartActivity("chat gpt-4o", ActivityKind.Client);
                chat!.SetTag("gen_ai.operation.name", "chat");
                chat.SetTag("gen_ai.request.model", "gpt-4o");
                chat.SetTag("gen_ai.usage.input_tokens", 321);
                chat.SetTag("gen_ai.usage.output_tokens", 45);
                chat.SetStatus(ActivityStatusCode.Ok);
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var traces = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/traces?session_id=otel-session"));
        var trace = traces.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(2, trace.GetProperty("span_count").GetInt32());
        Assert.Equal(366, trace.GetProperty("tokens").GetInt64());
        Assert.Matches("^[0-9a-f]{32}$", trace.GetProperty("id").GetString());
        var spans = await ApiAssert.Ok(await _server.Client.GetAsync($"/v1/traces/{trace.GetProperty("id").GetString()}/spans"));
        var chatSpan = spans.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "chat gpt-4o");
        Assert.Equal("GENERATION", chatSpan.GetProperty("type").GetString());
        Assert.Equal("gpt-4o", chatSpan.GetProperty("model").GetString());
        Assert.Equal("dotnet-client-tests", chatSpan.GetProperty("service_name").GetString());
        Assert.True(chatSpan.GetProperty("cost").GetDouble() > 0);
    }

    [Fact]
    public async Task Microsoft_extensions_ai_chat_client_spans_are_stored()
    {
        const string sourceName = "agentmark.tests.meai";
        using (var provider = Provider(sourceName))
        {
            IChatClient client = new ChatClientBuilder(new FakeChatClient())
                .UseOpenTelemetry(sourceName: sourceName, configure: c => c.EnableSensitiveData = true)
                .Build();
            var response = await client.GetResponseAsync("What is the capital of France?", new ChatOptions { ModelId = "gpt-4o-mini", Temperature = 0.2f });
            Assert.Equal("Paris.", response.Text);
            Assert.True(provider.ForceFlush(10_000));
        }

        var spans = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/spans?type=GENERATION"));
        var span = spans.GetProperty("data").EnumerateArray().Single();
        Assert.Equal("gpt-4o-mini", span.GetProperty("model").GetString());
        Assert.Equal(12, span.GetProperty("input_tokens").GetInt64());
        Assert.Equal(3, span.GetProperty("output_tokens").GetInt64());
        Assert.Equal("llm", span.GetProperty("span_kind").GetString());
        var traceId = span.GetProperty("trace_id").GetString();
        var detail = (await ApiAssert.Ok(await _server.Client.GetAsync($"/v1/traces/{traceId}"))).GetProperty("data");
        var stored = detail.GetProperty("spans").EnumerateArray().Single();
        Assert.Equal("stop", stored.GetProperty("finish_reason").GetString());
        Assert.Contains("capital of France", stored.GetProperty("input").GetString());
        Assert.Equal("Paris.", stored.GetProperty("output").GetString());
        Assert.Equal(0.2, JsonDocument.Parse(stored.GetProperty("settings").GetString()!).RootElement.GetProperty("temperature").GetDouble(), 3);
    }

    /// <summary>A chat model that answers without a network: the instrumentation around it is real.</summary>
    private sealed class FakeChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris."))
            {
                ModelId = options?.ModelId,
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3, TotalTokenCount = 15 },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("openai", new Uri("https://api.openai.com/v1"), "gpt-4o-mini") : null;

        public void Dispose() { }
    }
}
