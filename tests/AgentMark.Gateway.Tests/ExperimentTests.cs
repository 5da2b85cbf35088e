using System.Net;
using System.Text.Json;
using AgentMark.Gateway.Http.Experiments;

namespace AgentMark.Gateway.Tests;

/// <summary>
/// /v1/experiments, /v1/experiments/{id} and /v1/experiments/baseline over HTTP, with experiments
/// derived from spans ingested over OTLP carrying dataset-run attributes (templates-and-evals §7.1).
/// </summary>
public sealed class ExperimentTests : IAsyncLifetime
{
    private const string QaKey = "./prompts/qa.prompt.mdx";
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        // Run A (older, tree-abc): two rows, each a root with a model call below it.
        await Ingest(
            Root(11, "experiment-qa-0", 0, 1000, "run-a", "qa-run", """{"q":"alpha"}""", "tree-abc", QaKey, "datasets/qa.jsonl",
                ("agentmark.dataset_item_name", "item-0"), ("agentmark.dataset_expected_output", "4"), ("agentmark.metadata.commit_sha", "abc123")),
            Model(11, 12, 10, 900, 100, 20, "four", "qa"),
            Root(12, "experiment-qa-1", 5000, 2001, "run-a", "qa-run", """{"b":2,"a":1}""", "tree-abc", QaKey, "datasets/qa.jsonl"),
            Model(12, 14, 5010, 1900, 10, 5, "x", "qa"));
        await Task.Delay(30);
        // Run B (newer, another tree): one root without model calls, whose parent id is "" (still a root).
        await Ingest(Root(21, "experiment-qa-0", 10_000, 300, "run-b", "", """{"question":"What is 2+2?","n":0.5}""", "tree-other", QaKey,
            "datasets/other.jsonl", parent: ""));
        await Task.Delay(30);
        // Run C: another experiment key at tree-abc, which a qa baseline must never pick.
        await Ingest(Root(31, "other-0", 20_000, 50, "run-c", "other-run", """{"q":"alpha"}""", "tree-abc", "./prompts/other.prompt.mdx", "datasets/qa.jsonl"));

        await AddScore(Otlp.TraceId(11), "accuracy", 1, "correct", "matches");
        await AddScore(Otlp.TraceId(11), "latency", 0.5);
        await AddScore(Otlp.TraceId(12), "accuracy", 0);
        await AddScore(Otlp.TraceId(21), "accuracy", 0.95);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Root(int trace, string name, long startMs, long durationMs, string runId, string runName, string datasetInput,
        string treeHash, string experimentKey, string datasetPath, params (string Key, string Value)[] extra) =>
        Root(trace, name, startMs, durationMs, runId, runName, datasetInput, treeHash, experimentKey, datasetPath, null, extra);

    private static string Root(int trace, string name, long startMs, long durationMs, string runId, string runName, string datasetInput,
        string treeHash, string experimentKey, string datasetPath, string? parent, params (string Key, string Value)[] extra)
    {
        var attributes = new List<string>
        {
            Otlp.StringAttr("agentmark.dataset_run_id", runId), Otlp.StringAttr("agentmark.dataset_input", datasetInput),
            Otlp.StringAttr("agentmark.source_tree_hash", treeHash), Otlp.StringAttr("agentmark.experiment_key", experimentKey),
            Otlp.StringAttr("agentmark.dataset_path", datasetPath),
        };
        if (runName.Length > 0) attributes.Add(Otlp.StringAttr("agentmark.dataset_run_name", runName));
        attributes.AddRange(extra.Select(e => Otlp.StringAttr(e.Key, e.Value)));
        return Otlp.JsonSpan(Otlp.TraceId(trace), Otlp.SpanId(trace), parent: parent, name: name, startMs: startMs, durationMs: durationMs,
            attributes: string.Join(",", attributes), status: 1);
    }

    private static string Model(int trace, int span, long startMs, long durationMs, long inputTokens, long outputTokens, string output, string promptName) =>
        Otlp.JsonSpan(Otlp.TraceId(trace), Otlp.SpanId(span), parent: Otlp.SpanId(trace), name: "chat gpt-4o", startMs: startMs, durationMs: durationMs,
            attributes: string.Join(",", Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o"),
                Otlp.IntAttr("gen_ai.usage.input_tokens", inputTokens), Otlp.IntAttr("gen_ai.usage.output_tokens", outputTokens),
                Otlp.StringAttr("gen_ai.request.input", "question"), Otlp.StringAttr("gen_ai.response.output", output),
                Otlp.StringAttr("agentmark.prompt_name", promptName)));

    private async Task Ingest(params string[] spans) =>
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.JsonBody("agentmark", spans), "application/json"));

    /// <summary>An experiment score through the scores API, as <c>agentmark run-experiment</c> posts it.</summary>
    private async Task AddScore(string traceId, string name, double score, string label = "", string reason = "")
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["resource_id"] = traceId, ["name"] = name, ["score"] = score, ["label"] = label, ["reason"] = reason,
            ["source"] = "experiment", ["type"] = "numeric", ["data_type"] = "numeric",
        });
        await ApiAssert.Ok(await _server.PostAsync("/v1/scores", body, "application/json"), HttpStatusCode.Created);
        await Task.Delay(2); // distinct creation times keep the "oldest first" order observable
    }

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await _server.Client.GetAsync(path));

    private async Task<string[]> Ids(string query) =>
        (await Get("/v1/experiments" + query)).GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task The_list_has_the_contract_shape_and_aggregates()
    {
        var body = await Get("/v1/experiments");
        Assert.Equal(3, body.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(50, body.GetProperty("pagination").GetProperty("limit").GetInt32());
        var experiments = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["run-c", "run-b", "run-a"], experiments.Select(e => e.GetProperty("id").GetString()));
        foreach (var experiment in experiments)
        {
            Assert.Equal(["avgLatencyMs", "avgScore", "commitSha", "createdAt", "datasetPath", "end", "id", "itemCount", "name", "promptName", "start", "totalCost", "totalTokens"],
                experiment.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(experiment.GetProperty("createdAt").GetString(), experiment.GetProperty("start").GetString());
            Assert.EndsWith("Z", experiment.GetProperty("end").GetString());
        }

        var a = experiments[2];
        Assert.Equal("qa-run", a.GetProperty("name").GetString());
        Assert.Equal("datasets/qa.jsonl", a.GetProperty("datasetPath").GetString());
        Assert.Equal("qa", a.GetProperty("promptName").GetString());
        Assert.Equal(2, a.GetProperty("itemCount").GetInt64());
        Assert.Equal(1501, a.GetProperty("avgLatencyMs").GetInt64()); // Math.round(1500.5)
        Assert.Equal(135, a.GetProperty("totalTokens").GetInt64());
        Assert.True(a.GetProperty("totalCost").GetDouble() > 0);
        Assert.Equal(0.5, a.GetProperty("avgScore").GetDouble(), 9);
        Assert.Equal("abc123", a.GetProperty("commitSha").GetString());

        var b = experiments[1];
        Assert.Equal("run-b", b.GetProperty("name").GetString()); // no run name: the id
        Assert.Equal("", b.GetProperty("promptName").GetString());
        Assert.Equal("", b.GetProperty("commitSha").GetString());
        Assert.Equal(0, b.GetProperty("totalCost").GetDouble());
        Assert.Equal(0.95, b.GetProperty("avgScore").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, experiments[0].GetProperty("avgScore").ValueKind);
    }

    [Fact]
    public async Task Filters_are_applied()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(["run-a"], await Ids("?prompt_name=qa"));
        Assert.Equal(["run-b"], await Ids("?dataset_path=datasets/other.jsonl"));
        Assert.Equal(["run-c", "run-a"], await Ids("?dataset_path=datasets/qa.jsonl"));
        Assert.Empty(await Ids("?prompt_name=q"));
        Assert.Equal(["run-c", "run-b", "run-a"], await Ids($"?start_date={today.AddDays(-1):yyyy-MM-dd}&end_date={today.AddDays(1):yyyy-MM-dd}"));
        Assert.Empty(await Ids("?start_date=2000-01-01&end_date=2000-01-02"));
        Assert.Empty(await Ids($"?start_date={today.AddDays(1):yyyy-MM-dd}"));
        var page = await Get("/v1/experiments?limit=1&offset=1&dataset_path=datasets/qa.jsonl");
        Assert.Equal(["run-a"], page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(2, page.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/v1/experiments?limit=201", "limit")]
    [InlineData("/v1/experiments?limit=0", "limit")]
    [InlineData("/v1/experiments?offset=-1", "offset")]
    [InlineData("/v1/experiments?start_date=2026-13-01", "start_date")]
    [InlineData("/v1/experiments?end_date=yesterday", "end_date")]
    [InlineData("/v1/experiments/baseline?tree_hash=t", "experiment_key")]
    [InlineData("/v1/experiments/baseline?experiment_key=k", "tree_hash")]
    [InlineData("/v1/experiments/baseline?experiment_key=&tree_hash=t", "experiment_key")]
    [InlineData("/v1/experiments/baseline?experiment_key=k&tree_hash=", "tree_hash")]
    [InlineData("/v1/experiments/baseline?experiment_key=k&commit_sha=", "commit_sha")]
    public async Task Bad_parameters_are_400(string url, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync(url), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task The_detail_has_one_item_per_run_root()
    {
        var data = (await Get("/v1/experiments/run-a")).GetProperty("data");
        Assert.Equal("run-a", data.GetProperty("id").GetString());
        Assert.Equal(2, data.GetProperty("itemCount").GetInt64());
        var items = data.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([Otlp.TraceId(11), Otlp.TraceId(12)], items.Select(i => i.GetProperty("traceId").GetString()));

        var first = items[0];
        Assert.Equal(["cost", "expectedOutput", "input", "itemName", "latencyMs", "model", "output", "scores", "tokens", "traceId"],
            first.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("item-0", first.GetProperty("itemName").GetString());
        Assert.Equal("""{"q":"alpha"}""", first.GetProperty("input").GetString());
        Assert.Equal("4", first.GetProperty("expectedOutput").GetString());
        Assert.Equal("four", first.GetProperty("output").GetString());
        Assert.Equal(1000, first.GetProperty("latencyMs").GetInt64());
        Assert.Equal(120, first.GetProperty("tokens").GetInt64());
        Assert.Equal("gpt-4o", first.GetProperty("model").GetString());
        Assert.True(first.GetProperty("cost").GetDouble() > 0);
        var scores = first.GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal(["accuracy", "latency"], scores.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal((1.0, "correct", "matches"), (scores[0].GetProperty("score").GetDouble(), scores[0].GetProperty("label").GetString(), scores[0].GetProperty("reason").GetString()));

        var second = items[1];
        Assert.Equal("experiment-qa-1", second.GetProperty("itemName").GetString()); // no item name: the span name
        Assert.Equal("", second.GetProperty("expectedOutput").GetString());
        Assert.Equal(15, second.GetProperty("tokens").GetInt64());
        Assert.Equal(data.GetProperty("totalCost").GetDouble(), items.Sum(i => i.GetProperty("cost").GetDouble()), 12);

        var b = (await Get("/v1/experiments/run-b")).GetProperty("data").GetProperty("items")[0];
        Assert.Equal("", b.GetProperty("model").GetString());
        Assert.Equal(300, b.GetProperty("latencyMs").GetInt64());
    }

    [Fact]
    public async Task An_unknown_experiment_is_404()
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/experiments/nope"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal("Experiment not found", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Baseline_prefers_the_exact_tree_then_the_most_recent_run()
    {
        var exact = (await Get($"/v1/experiments/baseline?experiment_key={Uri.EscapeDataString(QaKey)}&tree_hash=tree-abc&dataset_path=ignored")).GetProperty("data");
        Assert.Equal("run-a", exact.GetProperty("resolved").GetProperty("runId").GetString());
        Assert.Equal("tree-abc", exact.GetProperty("resolved").GetProperty("treeHash").GetString());
        Assert.True(exact.GetProperty("resolved").GetProperty("matchedExactCommit").GetBoolean());
        var rows = exact.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("inputHash").GetString(), r.GetProperty("scorer").GetString(), r.GetProperty("score").GetDouble()))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList();
        Assert.Equal([("40cd761931b16c48", "accuracy", 1.0), ("40cd761931b16c48", "latency", 0.5), ("a0ebc03bdc71de7b", "accuracy", 0.0)], rows);

        var recent = (await Get($"/v1/experiments/baseline?experiment_key={Uri.EscapeDataString(QaKey)}&tree_hash=tree-NONE")).GetProperty("data");
        Assert.Equal("run-b", recent.GetProperty("resolved").GetProperty("runId").GetString());
        Assert.False(recent.GetProperty("resolved").GetProperty("matchedExactCommit").GetBoolean());
        var row = Assert.Single(recent.GetProperty("rows").EnumerateArray());
        Assert.Equal("b607918574e63206", row.GetProperty("inputHash").GetString());
        Assert.Equal(0.95, row.GetProperty("score").GetDouble());

        var alias = (await Get($"/v1/experiments/baseline?experiment_key={Uri.EscapeDataString(QaKey)}&commit_sha=tree-abc")).GetProperty("data");
        Assert.Equal("run-a", alias.GetProperty("resolved").GetProperty("runId").GetString());
    }

    [Fact]
    public async Task Baseline_without_a_run_is_null_and_never_crosses_keys()
    {
        var none = await Get("/v1/experiments/baseline?experiment_key=./prompts/missing.prompt.mdx&tree_hash=tree-abc");
        Assert.Equal("""{"data":{"resolved":null,"rows":[]}}""", none.GetRawText());
        var other = (await Get("/v1/experiments/baseline?experiment_key=./prompts/other.prompt.mdx&tree_hash=tree-zzz")).GetProperty("data");
        Assert.Equal("run-c", other.GetProperty("resolved").GetProperty("runId").GetString());
        Assert.Empty(other.GetProperty("rows").EnumerateArray()); // run-c has no scores
    }

    [Fact]
    public async Task Another_app_sees_no_experiments()
    {
        await using var server = await GatewayServer.StartAsync("--AgentMark:Apps:0=other");
        await ApiAssert.Ok(await server.PostAsync("/v1/traces", Otlp.JsonBody("agentmark",
            Root(41, "r", 0, 10, "run-x", "", "{}", "t", QaKey, "d.jsonl")), "application/json"));
        var mine = await ApiAssert.Ok(await server.Client.GetAsync("/v1/experiments"));
        Assert.Equal(1, mine.GetProperty("pagination").GetProperty("total").GetInt32());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/experiments");
        request.Headers.Add("X-Agentmark-App-Id", "other");
        var theirs = await ApiAssert.Ok(await server.Client.SendAsync(request));
        Assert.Equal(0, theirs.GetProperty("pagination").GetProperty("total").GetInt32());
    }
}

/// <summary>hashRowInput against the test vectors of wire-contract §15.3 and templates-and-evals §7.6.</summary>
public sealed class RowInputHashTests
{
    [Theory]
    // wire-contract §15.3
    [InlineData("""{"q":"alpha"}""", """{"q":"alpha"}""", "40cd761931b16c48")]
    [InlineData("""{"b":2,"a":1}""", """{"a":1,"b":2}""", "a0ebc03bdc71de7b")]
    [InlineData("""[1,"x",null]""", """[1,"x",null]""", "3892b232ae7fc7e9")]
    [InlineData("\"héllo\"", "\"héllo\"", "6b58563823e28907")]
    [InlineData("""{"question":"What is 2+2?","n":0.5}""", """{"n":0.5,"question":"What is 2+2?"}""", "b607918574e63206")]
    // templates-and-evals §7.6
    [InlineData("null", "null", "5b9bc4ba528108e4")]
    [InlineData("{}", "{}", "08f44b07b5901a25")]
    [InlineData("\"\"", "\"\"", "07cc7607b4949e25")]
    [InlineData("""{"a":1,"b":[2,3]}""", """{"a":1,"b":[2,3]}""", "55bed68470220de4")]
    [InlineData("""{"b":[2,3],"a":1}""", """{"a":1,"b":[2,3]}""", "55bed68470220de4")]
    [InlineData("""{"question":"What is 2+2?"}""", """{"question":"What is 2+2?"}""", "d69f8f98f9bcc89d")]
    [InlineData("""{"ticket":"refund me"}""", """{"ticket":"refund me"}""", "d8b8657d098567a7")]
    [InlineData("""{"name":"café"}""", """{"name":"café"}""", "b34f8f0023f6d207")]
    [InlineData("""{"x":"a😀b"}""", """{"x":"a😀b"}""", "acc714413ff2bb87")]
    [InlineData("[1,2,3]", "[1,2,3]", "28bbee4398699f19")]
    [InlineData("""{"n":1.0}""", """{"n":1}""", "0c85d1734a1666a0")]
    [InlineData("""{"B":1,"a":2}""", """{"B":1,"a":2}""", "47a718cb0eadeb93")]
    [InlineData("""{"é":1,"z":2,"a":3}""", """{"a":3,"z":2,"é":1}""", "d4af5e1c78011eb1")]
    [InlineData("""{"x":[{"b":null,"a":true}]}""", """{"x":[{"a":true,"b":null}]}""", "0cbf99e55c276e91")]
    [InlineData("""{"s":"line\nbreak"}""", """{"s":"line\nbreak"}""", "959384086075920d")]
    [InlineData("""{"v":1e21}""", """{"v":1e+21}""", "c05951f4cb8173ff")]
    [InlineData("""{"v":0.1}""", """{"v":0.1}""", "139b314ce367fd66")]
    [InlineData("""{"v":1e-7}""", """{"v":1e-7}""", "58ac9169f22e66c7")]
    public void Vectors_match_the_reference(string input, string canonical, string hash)
    {
        using var document = JsonDocument.Parse(input);
        Assert.Equal(canonical, RowInputHash.Canonical(document.RootElement));
        Assert.Equal(hash, RowInputHash.FromJsonText(input));
    }

    [Theory]
    [InlineData("""["\u0001","\u2028","a/b","\"q\"","\\"]""", "[\"\\u0001\",\"\u2028\",\"a/b\",\"\\\"q\\\"\",\"\\\\\"]")]
    [InlineData("""{"n":-0,"m":0.000001,"k":123456789012345680000,"l":1.5e300}""", """{"k":123456789012345680000,"l":1.5e+300,"m":0.000001,"n":0}""")]
    [InlineData("""{"a":1,"a":2}""", """{"a":2}""")]
    public void Canonical_text_follows_json_stringify(string input, string canonical)
    {
        using var document = JsonDocument.Parse(input);
        Assert.Equal(canonical, RowInputHash.Canonical(document.RootElement));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"a\":")]
    public void Empty_or_unparseable_inputs_have_no_hash(string? input) => Assert.Null(RowInputHash.FromJsonText(input));
}
