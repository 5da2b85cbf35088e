namespace AgentMark.Gateway.Tests;

/// <summary>
/// One gateway seeded with three traces for the filter tests (read-only, so the tests share it):
/// 1 = OK checkout by user-1 with a gpt-4o generation (tags prod, web; metadata.env prod), 2026-01-01;
/// 2 = ERROR search by user-2 with a gpt-4o-mini generation (tag dev; metadata.env dev), a day later;
/// 3 = one slow span without model, user or tags, two days later.
/// Spans: 1, 2 in trace 1; 3, 4 in trace 2; 5 in trace 3.
/// </summary>
public sealed class FilterServerFixture : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await GatewayServer.StartAsync();
        var body = Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "checkout", startMs: 0, durationMs: 900, status: 1, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "sess-a"), Otlp.StringAttr("agentmark.user_id", "user-1"),
                Otlp.StringAttr("agentmark.tags", "[\"prod\",\"web\"]"), Otlp.StringAttr("agentmark.metadata.env", "prod"))),
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(2), parent: Otlp.SpanId(1), name: "chat gpt-4o", startMs: 10, durationMs: 500, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o"),
                Otlp.IntAttr("gen_ai.usage.input_tokens", 1000), Otlp.IntAttr("gen_ai.usage.output_tokens", 200),
                Otlp.StringAttr("agentmark.prompt_name", "calculator"),
                Otlp.StringAttr("gen_ai.request.input", "What is 2+2?"), Otlp.StringAttr("gen_ai.response.output", "4"))),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), name: "search", startMs: 86_400_000, durationMs: 50, status: 2, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "sess-b"), Otlp.StringAttr("agentmark.user_id", "user-2"),
                Otlp.StringAttr("agentmark.tags", "[\"dev\"]"), Otlp.StringAttr("agentmark.metadata.env", "dev"))),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(4), parent: Otlp.SpanId(3), name: "chat gpt-4o-mini", startMs: 86_400_010, durationMs: 40, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o-mini"),
                Otlp.IntAttr("gen_ai.usage.input_tokens", 10), Otlp.IntAttr("gen_ai.usage.output_tokens", 5))),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(5), name: "slow job", startMs: 172_800_000, durationMs: 3000));
        await ApiAssert.Ok(await Server.PostAsync("/v1/traces", body, "application/json"));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
