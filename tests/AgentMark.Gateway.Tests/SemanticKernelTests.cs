using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentMark.Gateway.Tests;

/// <summary>
/// Semantic Kernel 1.x (its real OpenAI connector and function calling, against a fake OpenAI endpoint)
/// exporting through the OpenTelemetry .NET OTLP exporter into a real gateway. SK writes the messages as
/// span events of the pre-1.37 GenAI conventions and the finish reasons under the singular key
/// <c>gen_ai.response.finish_reason</c>; the OTel GenAI convention reads both (deviations, see the
/// normalization README).
/// </summary>
public sealed class SemanticKernelTests : IAsyncLifetime
{
    private const string Question = "What is the weather in Paris?";

    static SemanticKernelTests()
    {
        // SK records prompts and completions only with its (experimental) sensitive-diagnostics switch.
        AppContext.SetSwitch("Microsoft.SemanticKernel.Experimental.GenAI.EnableOTelDiagnosticsSensitive", true);
    }

    private GatewayServer _server = null!;
    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Function_calling_prompt_is_stored_with_messages_tool_calls_and_usage()
    {
        string answer;
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .AddSource("Microsoft.SemanticKernel*")
                   .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("sk-tests"))
                   .AddOtlpExporter(o =>
                   {
                       o.Endpoint = new Uri(_server.BaseUrl + "/v1/traces");
                       o.Protocol = OtlpExportProtocol.HttpProtobuf;
                       o.ExportProcessorType = ExportProcessorType.Simple;
                   })
                   .Build())
        {
            var builder = Kernel.CreateBuilder();
            builder.AddOpenAIChatCompletion("gpt-4o", "sk-test", httpClient: new HttpClient(new FakeOpenAi()));
            builder.Plugins.AddFromType<WeatherPlugin>();
            var kernel = builder.Build();
            var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
            answer = (await kernel.InvokePromptAsync(Question, new KernelArguments(settings))).ToString();
            Assert.True(provider.ForceFlush(10_000));
        }
        Assert.Equal("It is sunny in Paris.", answer);

        var list = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/traces"));
        var trace = list.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(4, trace.GetProperty("span_count").GetInt32());
        var detail = (await ApiAssert.Ok(await _server.Client.GetAsync($"/v1/traces/{trace.GetProperty("id").GetString()}"))).GetProperty("data");
        var spans = detail.GetProperty("spans").EnumerateArray().ToList();

        // The prompt function's own span: SK names it execute_tool <function>, so it is renamed to the function.
        var root = spans.Single(s => s.GetProperty("parent_id").ValueKind == JsonValueKind.Null);
        Assert.StartsWith("InvokePromptAsync_", root.GetProperty("name").GetString());
        Assert.Equal("SPAN", root.GetProperty("type").GetString());

        var chats = spans.Where(s => s.GetProperty("name").GetString() == "chat gpt-4o").ToList();
        Assert.Equal(2, chats.Count);
        Assert.All(chats, c =>
        {
            Assert.Equal("GENERATION", c.GetProperty("type").GetString());
            Assert.Equal("llm", c.GetProperty("span_kind").GetString());
            Assert.Equal("gpt-4o", c.GetProperty("model").GetString());
            Assert.Equal("sk-tests", c.GetProperty("service_name").GetString());
        });

        var askingChat = chats.Single(c => c.GetProperty("finish_reason").GetString() == "ToolCalls");
        Assert.Equal((24, 9), (askingChat.GetProperty("input_tokens").GetInt64(), askingChat.GetProperty("output_tokens").GetInt64()));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]", askingChat.GetProperty("input").GetString());
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"call_weather_1\",\"toolName\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}]",
            askingChat.GetProperty("tool_calls").GetString());
        Assert.False(askingChat.TryGetProperty("output", out _));
        Assert.Equal((0.0025 * 24 + 0.01 * 9) / 1000, askingChat.GetProperty("cost").GetDouble(), 12);

        var answeringChat = chats.Single(c => c.GetProperty("finish_reason").GetString() == "Stop");
        Assert.Equal((40, 6), (answeringChat.GetProperty("input_tokens").GetInt64(), answeringChat.GetProperty("output_tokens").GetInt64()));
        Assert.Equal(
            "[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"call_weather_1\",\"toolName\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}]},"
            + "{\"role\":\"tool\",\"content\":\"{\\\"sky\\\":\\\"sunny\\\"}\"}]",
            answeringChat.GetProperty("input").GetString());
        Assert.Equal("It is sunny in Paris.", answeringChat.GetProperty("output").GetString());

        var tool = spans.Single(s => s.GetProperty("name").GetString() == "get_weather");
        Assert.Equal("tool", tool.GetProperty("span_kind").GetString());
        var call = JsonDocument.Parse(tool.GetProperty("tool_calls").GetString()!).RootElement.EnumerateArray().Single();
        Assert.Equal("get_weather", call.GetProperty("toolName").GetString());
        Assert.Equal("Paris", call.GetProperty("args").GetProperty("city").GetString());
        Assert.Equal("{\"sky\":\"sunny\"}", call.GetProperty("result").GetString());

        // Trace totals are the largest single span (§5.2); SK's root span carries no usage of its own.
        Assert.Equal(46, trace.GetProperty("tokens").GetInt64());
    }

    public sealed class WeatherPlugin
    {
        [KernelFunction("get_weather"), Description("Current weather")]
        public string GetWeather(string city) => "{\"sky\":\"sunny\"}";
    }

    /// <summary>The OpenAI chat-completions endpoint, answered locally: a tool call first, then the answer.</summary>
    private sealed class FakeOpenAi : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var json = body.Contains("\"role\":\"tool\"", StringComparison.Ordinal)
                ? """{"id":"chatcmpl-text","object":"chat.completion","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny in Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":40,"completion_tokens":6,"total_tokens":46}}"""
                : """{"id":"chatcmpl-tool","object":"chat.completion","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_weather_1","type":"function","function":{"name":"WeatherPlugin-get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":24,"completion_tokens":9,"total_tokens":33}}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}
