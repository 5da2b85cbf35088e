using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>Valid filters in every encoding, over HTTP, against a seeded gateway (see <see cref="FilterServerFixture"/>).</summary>
public sealed class FilterQueryTests(FilterServerFixture fixture) : IClassFixture<FilterServerFixture>
{
    private const string Window = "\"start_date\":\"2026-01-01T00:00:00.000Z\",\"end_date\":\"2026-01-03T23:59:59.999Z\"";
    private HttpClient Client => fixture.Server.Client;

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await Client.GetAsync(path));

    private async Task<JsonElement> Post(string path, string json) =>
        await ApiAssert.Ok(await Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")));

    private static string[] Ids(JsonElement body) => body.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray();

    private static string[] Traces(params int[] numbers) => numbers.Select(Otlp.TraceId).ToArray();

    private static string[] Spans(params int[] numbers) => numbers.Select(Otlp.SpanId).ToArray();

    private async Task<string[]> TraceList(string filter) => Ids(await Get("/v1/traces?filter=" + Uri.EscapeDataString(filter)));

    [Theory]
    // string DSL
    [InlineData("model = gpt-4o", new[] { 1 })]
    [InlineData("model contains GPT-4O", new[] { 2, 1 })]
    [InlineData("model != gpt-4o", new[] { 3, 2 })]
    [InlineData("(model = gpt-4o-mini or latency_ms > 2000)", new[] { 3, 2 })]
    [InlineData("status = ERROR and metadata.env = dev", new[] { 2 })]
    [InlineData("status = success", new[] { 1 })]
    [InlineData("tags != prod", new[] { 3, 2 })]
    [InlineData("user_id = user-1 and cost > 0 and prompt_tokens >= 1000", new[] { 1 })]
    [InlineData("session_id = sess-b", new[] { 2 })]
    [InlineData("prompt_name starts with CALC", new[] { 1 })]
    [InlineData("input contains \"2+2\" and output = 4", new[] { 1 })]
    [InlineData("metadata.env does not exist", new[] { 3 })]
    [InlineData("semantic_kind = llm", new[] { 2, 1 })]
    [InlineData("score__accuracy > 0", new int[0])]
    // JSON array form in the parameter
    [InlineData("""[{"field":"model","operator":"in","value":["gpt-4o","gpt-4o-mini"]}]""", new[] { 2, 1 })]
    [InlineData("""[{"or":[{"field":"tags","operator":"equals","value":"dev"},{"field":"latency","operator":">=","value":3000}]},{"field":"completion_tokens","operator":"notIn","value":[200]}]""", new[] { 3, 2 })]
    [InlineData("""[{"field":"cost","operator":"between","value":[0,0]}]""", new[] { 3 })]
    // JSON tree form in the parameter
    [InlineData("""{"op":"or","exprs":[{"field":"status","op":"eq","value":"FAIL"},{"field":"latency_ms","op":"gte","value":3000}]}""", new[] { 3, 2 })]
    [InlineData("""{"op":"and","exprs":[{"field":"model_used","op":"starts_with","value":"gpt"},{"op":"or","exprs":[{"field":"user","op":"eq","value":"user-2"},{"field":"metadata.env","op":"eq","value":"nope"}]}]}""", new[] { 2 })]
    public async Task Trace_filters_select_the_right_traces(string filter, int[] expected)
    {
        Assert.Equal(Traces(expected), await TraceList(filter));
    }

    [Fact]
    public async Task Filters_combine_with_other_parameters_and_totals_are_true()
    {
        var body = await Get("/v1/traces?limit=1&filter=" + Uri.EscapeDataString("latency_ms < 1000"));
        Assert.Equal(Traces(2), Ids(body));
        Assert.Equal(2, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(Traces(1), Ids(await Get("/v1/traces?status=OK&filter=" + Uri.EscapeDataString("latency_ms > 100"))));
        Assert.Equal(Traces(1), Ids(await Get("/v1/traces?sort_by=latency&sort_order=asc&tag=prod&filter=" + Uri.EscapeDataString("model = gpt-4o"))));
        // An empty filter is no filter.
        Assert.Equal(3, (await Get("/v1/traces?filter=")).GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(3, (await Get("/v1/traces?filter=%20%20")).GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("model = gpt-4o", new[] { 2 })]
    [InlineData("tags = prod", new[] { 2, 1 })]
    [InlineData("metadata.env exists", new[] { 3, 1 })]
    [InlineData("user_id = user-1", new[] { 1 })]
    [InlineData("status = ERROR", new[] { 3 })]
    [InlineData("latency_ms >= 500", new[] { 5, 2, 1 })]
    [InlineData("""[{"field":"prompt_tokens","operator":"in","value":[10,1000]}]""", new[] { 4, 2 })]
    [InlineData("""{"op":"and","exprs":[{"field":"trace_id","op":"eq","value":"00000000000000000000000000000002"}]}""", new[] { 4, 3 })]
    public async Task Span_filters_select_the_right_spans(string filter, int[] expected)
    {
        var body = await Get("/v1/spans?filter=" + Uri.EscapeDataString(filter));
        Assert.Equal(Spans(expected), Ids(body));
        Assert.Equal(expected.Length, body.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Trace_search_answers_like_the_list()
    {
        var body = await Post("/v1/traces/search", $$"""{"filters":[{"field":"model","operator":"in","value":["gpt-4o","gpt-4o-mini"]},{"or":[{"field":"status","operator":"equals","value":"ERROR"},{"field":"tags","operator":"equals","value":"web"}]}],{{Window}},"sort_by":"latency","sort_order":"asc","limit":10}""");
        Assert.Equal(Traces(2, 1), Ids(body));
        Assert.Equal(2, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(10, body.GetProperty("pagination").GetProperty("limit").GetInt32());
        var list = await Get("/v1/traces?filter=" + Uri.EscapeDataString("model = gpt-4o"));
        var search = await Post("/v1/traces/search", $$"""{"filters":[{"field":"model","operator":"equals","value":"gpt-4o"}],{{Window}}}""");
        Assert.Equal(list.GetProperty("data").GetRawText(), search.GetProperty("data").GetRawText());
        Assert.Equal(50, search.GetProperty("pagination").GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task Search_windows_are_inclusive_and_default_to_the_last_30_days()
    {
        // The seeded traces are from January 2026; the default window ends now.
        var recent = await Post("/v1/traces/search", "{}");
        Assert.Equal(0, recent.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(0, (await ApiAssert.Ok(await Client.PostAsync("/v1/traces/search", null))).GetProperty("pagination").GetProperty("total").GetInt64());
        var day2 = await Post("/v1/traces/search", """{"start_date":"2026-01-02T00:00:00.000Z","end_date":"2026-01-02T00:00:00.000Z"}""");
        Assert.Equal(Traces(2), Ids(day2));
    }

    [Fact]
    public async Task Span_search_answers_like_the_span_list()
    {
        var body = await Post("/v1/spans/search", $$"""{"filters":[{"field":"metadata.env","operator":"exists"}],{{Window}},"limit":1,"offset":1}""");
        Assert.Equal(Spans(1), Ids(body));
        Assert.Equal(2, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(1, body.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(1, body.GetProperty("pagination").GetProperty("offset").GetInt32());
        var first = body.GetProperty("data")[0];
        Assert.Equal("checkout", first.GetProperty("name").GetString());
        Assert.Equal("prod", first.GetProperty("metadata").GetProperty("env").GetString());
    }

    [Fact]
    public async Task The_filter_schema_is_generated_exactly()
    {
        var response = await Client.GetAsync("/v1/filter-schema");
        var body = await ApiAssert.Ok(response);
        var resources = body.GetProperty("data").GetProperty("resources");
        Assert.Equal(["traces", "spans", "scores"], resources.EnumerateObject().Select(p => p.Name));
        Assert.Equal(resources.GetProperty("traces").GetRawText(), resources.GetProperty("spans").GetRawText());

        var traces = resources.GetProperty("traces");
        Assert.Equal(["fields", "dynamic_fields", "limits"], traces.EnumerateObject().Select(p => p.Name));
        var fields = traces.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["model", "user_id", "session_id", "trace_id", "prompt_name", "input", "output", "props", "semantic_kind",
            "latency_ms", "cost", "prompt_tokens", "completion_tokens", "status", "tags"], fields.Select(f => f.GetProperty("name").GetString()));
        string[] Ops(JsonElement f) => f.GetProperty("operators").EnumerateArray().Select(o => o.GetString()!).ToArray();
        Assert.Equal("""{"name":"model","kind":"string","operators":["equals","notEquals","contains","notContains","startsWith","endsWith","in","notIn"]}""", fields[0].GetRawText());
        Assert.Equal(["equals", "notEquals", "gt", "gte", "lt", "lte", "in", "notIn", "between"], Ops(fields[9]));
        Assert.Equal("numeric", fields[12].GetProperty("kind").GetString());
        Assert.Equal(["equals"], Ops(fields[13]));
        Assert.Equal("status", fields[13].GetProperty("kind").GetString());
        Assert.Equal(["equals", "notEquals", "contains", "in", "notIn"], Ops(fields[14]));
        Assert.Equal("tags", fields[14].GetProperty("kind").GetString());
        Assert.Equal("""[{"pattern":"metadata.<key>","key_pattern":"^[a-zA-Z_][a-zA-Z0-9_]{0,63}$","kind":"metadata","operators":["equals","notEquals","contains","notContains","startsWith","endsWith","exists","doesNotExist","in","notIn"]},{"pattern":"score__<name>","key_pattern":"^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$","kind":"score","operators":["equals","notEquals","gt","gte","lt","lte","between"]}]""",
            traces.GetProperty("dynamic_fields").GetRawText());
        Assert.Equal("""{"max_predicates":20,"max_in_values":50}""", traces.GetProperty("limits").GetRawText());

        var scores = resources.GetProperty("scores");
        var scoreFields = scores.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["name", "source", "user_id", "resource_id", "label", "score", "created_at"], scoreFields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(["equals", "notEquals", "contains", "notContains", "startsWith", "endsWith", "in", "notIn"], Ops(scoreFields[0]));
        Assert.Equal(["equals", "notEquals", "gt", "gte", "lt", "lte", "in", "notIn", "between"], Ops(scoreFields[5]));
        Assert.Equal("""{"name":"created_at","kind":"datetime","operators":["gt","gte","lt","lte","between"]}""", scoreFields[6].GetRawText());
        Assert.Equal("[]", scores.GetProperty("dynamic_fields").GetRawText());
        Assert.Equal("""{"max_predicates":20,"max_in_values":50}""", scores.GetProperty("limits").GetRawText());
    }
}
