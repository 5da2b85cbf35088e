using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Tests.Support;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// Anything a client can send must normalize without an exception and produce valid JSON columns, and
/// normalizing must not change the decoded span (the same span normalizes to the same record again).
/// </summary>
public sealed class RobustnessTests
{
    private static readonly string[] KeysReadByConventions =
    [
        "gen_ai.operation.name", "gen_ai.system", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model",
        "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
        "gen_ai.usage.total_tokens", "gen_ai.usage.cost", "agentmark.usage.cost_usd", "gen_ai.response.finish_reasons",
        "gen_ai.request.max_tokens", "gen_ai.request.temperature", "gen_ai.request.top_p", "gen_ai.request.presence_penalty",
        "gen_ai.request.frequency_penalty", "gen_ai.request.input", "agentmark.request.input", "gen_ai.input.messages", "gen_ai.prompt",
        "gen_ai.system_instructions", "agentmark.input", "agentmark.props", "gen_ai.response.output", "agentmark.response.output",
        "gen_ai.output.messages", "gen_ai.completion", "agentmark.output", "gen_ai.tool.name", "gen_ai.tool.call.id", "gen_ai.tool.input",
        "gen_ai.tool.output", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "pydantic_ai.all_messages", "final_result",
        "gen_ai.conversation.id", "agentmark.tags", "agentmark.span.kind", "agentmark.session_id", "agentmark.user_id",
        "agentmark.metadata.session_id", "agentmark.metadata.custom", "ai.telemetry.metadata.trace_name", "ai.telemetry.metadata.x",
        "ai.response.text", "ai.response.toolCalls", "ai.response.object", "ai.result.text", "ai.result.toolCalls", "ai.result.object",
        "ai.prompt.messages", "ai.prompt", "ai.model.id", "ai.response.finishReason", "ai.result.finishReason",
        "ai.settings.temperature", "ai.settings.maxTokens", "ai.settings.topP", "ai.usage.promptTokens", "ai.usage.completionTokens",
        "ai.usage.reasoningTokens", "ai.response.providerMetadata", "ai.toolCall.name", "ai.toolCall.id", "ai.toolCall.args",
        "ai.toolCall.result", "ai.operationId", "openinference.span.kind", "traceloop.span.kind", "langchain.run_type", "genkit:type",
        "db.system", "db.system.name", "service.name",
    ];

    private static JsonNode?[] Values() =>
    [
        null, S(""), S("plain"), S("0"), S("null"), S("true"), S("42"), S("[]"), S("{}"), S("\"quoted\""),
        S("[1,\"a\",null,{\"role\":\"user\"},[]]"),
        S("[{\"role\":\"user\",\"content\":[{\"type\":\"tool-call\"},{\"type\":\"tool-result\",\"output\":null},{\"type\":\"text\",\"text\":5},null,{\"type\":\"image\"}]},null,5,\"s\",{\"role\":null,\"content\":{\"type\":\"text\"}}]"),
        S("{\"messages\":[null,{\"role\":null}],\"system\":\"s\",\"prompt\":{\"x\":1}}"),
        S("{\"openai\":{\"reasoningTokens\":5},\"intValue\":3}"),
        S("[{\"role\":\"a\",\"parts\":[null,5,{\"type\":\"tool_call\",\"arguments\":[1]},{\"type\":\"text\",\"content\":{\"a\":1}}]},{\"parts\":\"x\"}]"),
        S("[{\"toolCallId\":{},\"toolName\":[1],\"input\":null,\"type\":0},7,null]"),
        S("{\"role\":\"user\",\"content\":null}"),
        I(0), I(-5), I(long.MaxValue), D(double.NaN), D(double.PositiveInfinity), D(1e300), D(-0.5), B(true), B(false),
        Arr(), Arr(null, S("x"), I(1), new JsonObject { ["k"] = null }, Arr(S("nested"))),
        new JsonObject { ["role"] = "user", ["content"] = "x", ["messages"] = new JsonArray(1, null), ["openai"] = new JsonObject { ["reasoningTokens"] = 3 } },
    ];

    private static readonly string?[] Scopes = ["agentmark", "ai", "pydantic-ai", null];
    private static readonly string[] Names = ["chat m", "ai.generateText.doGenerate", "orchestrate_tools", "execute_tool t", "x"];

    [Fact]
    public void EveryKeyWithEveryValueKindNormalizes()
    {
        foreach (var key in KeysReadByConventions)
        {
            for (var v = 0; v < Values().Length; v++)
            {
                foreach (var scope in Scopes)
                {
                    var span = Span(Names[v % Names.Length], scope, [(key, Values()[v])]);
                    AssertSane(span);
                }
            }
        }
    }

    [Fact]
    public void RandomCombinationsNormalize()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 3000; i++)
        {
            var attributes = new List<(string, JsonNode?)>();
            var count = random.Next(1, 12);
            for (var j = 0; j < count; j++)
            {
                var values = Values();
                attributes.Add((KeysReadByConventions[random.Next(KeysReadByConventions.Length)], values[random.Next(values.Length)]));
            }
            var resourceValues = Values();
            var span = Span(Names[random.Next(Names.Length)], Scopes[random.Next(Scopes.Length)], attributes.ToArray(),
                resource: [(KeysReadByConventions[random.Next(KeysReadByConventions.Length)], resourceValues[random.Next(resourceValues.Length)])],
                statusCode: random.Next(3).ToString());
            AssertSane(span);
        }
    }

    private static void AssertSane(DecodedSpan span)
    {
        SpanRecord first;
        try
        {
            first = Normalize(span);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"Normalize threw for scope={span.ScopeName} name={span.Name} attributes={JsonSerializer.Serialize(span.SpanAttributes)}: {ex}");
        }
        foreach (var json in new[] { first.Input, first.OutputObject, first.ToolCalls, first.Settings, first.Metadata, first.Tags,
                     first.ResourceAttributes, first.SpanAttributes, first.Events, first.Links })
        {
            if (json is null) continue;
            using var _ = JsonDocument.Parse(json); // throws on invalid JSON
        }
        Assert.True(SemanticKindsAreValid(first.SemanticKind));
        Assert.Contains(first.Type, new[] { SpanTypes.Generation, SpanTypes.Span });
        RecordAssert.Equal(first, Normalize(span)); // the decoded span was not modified
    }

    private static bool SemanticKindsAreValid(string kind) => Kinds.SemanticKinds.IsValid(kind);

    [Fact]
    public void ConcurrentNormalizationGivesTheSameRecords()
    {
        var spans = OtlpJson.ReadFixture("ai-sdk-v6-generateText-toolcall.otlp.json")
            .Concat(OtlpJson.ReadFixture("spec-8.1-agentmark-prompt.otlp.json"))
            .Concat(OtlpJson.ReadFixture("spec-8.2-ai-sdk-v5-toolcall.otlp.json"))
            .Concat(OtlpJson.ReadFixture("spec-8.4-otel-genai.otlp.json"))
            .ToArray();
        var expected = spans.Select(s => Normalize(s)).ToArray();
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var index = i % spans.Length;
            RecordAssert.Equal(expected[index], Normalize(spans[index]));
        });
    }
}
