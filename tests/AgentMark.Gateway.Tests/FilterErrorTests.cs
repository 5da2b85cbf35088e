using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>
/// Malformed filters, each answered 400 with the precise code and details key (wire-contract §10.6,
/// §6.8): never a 500, never silently ignored.
/// </summary>
public sealed class FilterErrorTests(FilterServerFixture fixture) : IClassFixture<FilterServerFixture>
{
    private const string Window = "\"start_date\":\"2026-01-01T00:00:00.000Z\",\"end_date\":\"2026-01-03T00:00:00.000Z\"";
    private HttpClient Client => fixture.Server.Client;

    private static readonly string TwentyOne = string.Join(" and ", Enumerable.Repeat("cost > 0", 21));
    private static readonly string TwentyOneJson = "[" + string.Join(",", Enumerable.Repeat("""{"field":"cost","operator":"gt","value":0}""", 21)) + "]";
    private static readonly string TwentyOneInGroup = """[{"or":[""" + string.Join(",", Enumerable.Repeat("""{"field":"cost","operator":"gt","value":0}""", 21)) + "]}]";
    private static readonly string FiftyOneValues = """[{"field":"model","operator":"in","value":[""" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"m{i}\"")) + "]}]";
    private static readonly string LongValue = "[{\"field\":\"model\",\"operator\":\"equals\",\"value\":\"" + new string('x', 501) + "\"}]";
    private static readonly string LongKey = "metadata." + new string('k', 65) + " exists";
    private static readonly string LongField = "[{\"field\":\"" + new string('f', 129) + "\",\"operator\":\"equals\",\"value\":\"a\"}]";

    public static TheoryData<string, string> MalformedFilters() => new()
    {
        // syntax (string DSL)
        { "syntax: no operator", "model" },
        { "syntax: no value", "model =" },
        { "syntax: no field", "= gpt-4o" },
        { "syntax: unterminated quote", "model = \"gpt-4o" },
        { "syntax: unclosed parenthesis", "(model = a or model = b" },
        { "syntax: stray closing parenthesis", "model = a)" },
        { "syntax: nested parentheses", "((model = a))" },
        { "syntax: or outside parentheses", "model = a or model = b" },
        { "syntax: and inside parentheses", "(model = a and cost > 1)" },
        { "syntax: trailing and", "model = a and" },
        { "syntax: leading and", "and model = a" },
        { "syntax: double equals", "model == a" },
        { "syntax: arrow operator", "cost => 1" },
        { "syntax: tilde operator", "model ~ a" },
        { "syntax: in in the DSL", "model in (a, b)" },
        { "syntax: between in the DSL", "cost between 1 and 2" },
        { "syntax: not without contains", "model not equals a" },
        { "syntax: starts without with", "model starts a" },
        { "syntax: exists with a value", "metadata.env exists prod" },
        { "syntax: does exist", "metadata.env does exist" },
        { "syntax: missing and", "model = a cost > 1" },
        { "syntax: empty parentheses", "()" },
        { "syntax: empty group after and", "model = a and ()" },
        { "syntax: dangling or", "(model = a or)" },
        // unknown fields and bad dynamic keys
        { "field: misspelled", "modle = a" },
        { "field: not filterable", "name = checkout" },
        { "field: wrong case", "Model = a" },
        { "field: metadata without key", "metadata = x" },
        { "field: metadata empty key", "metadata. = x" },
        { "field: metadata key starting with a digit", "metadata.1abc = x" },
        { "field: metadata key with a dash", "metadata.a-b = x" },
        { "field: metadata key too long", LongKey },
        { "field: score without name", "score__ = 1" },
        { "field: score name starting with a digit", "score__1x = 1" },
        { "field: score name with a dot", "score__a.b > 1" },
        { "field: too long (JSON)", LongField },
        { "field: empty (JSON)", """[{"field":"","operator":"equals","value":"a"}]""" },
        // operator not valid for the field kind
        { "operator: gt on a string", "model > 3" },
        { "operator: notEquals on status", "status != OK" },
        { "operator: contains on status", "status contains O" },
        { "operator: startsWith on tags", "tags starts with p" },
        { "operator: contains on a number", "latency_ms contains 5" },
        { "operator: exists on a number", "cost exists" },
        { "operator: contains on a score", "score__quality contains 1" },
        { "operator: exists on a string", "model exists" },
        { "operator: between on a string (JSON)", """[{"field":"model","operator":"between","value":["a","b"]}]""" },
        { "operator: in on status (JSON)", """[{"field":"status","operator":"in","value":["OK"]}]""" },
        { "operator: unknown (JSON)", """[{"field":"model","operator":"bogus","value":"a"}]""" },
        { "operator: wrong for kind (tree)", """{"op":"and","exprs":[{"field":"model","op":"gt","value":1}]}""" },
        // wrong value type
        { "value: word for a number", "latency_ms > fast" },
        { "value: hexadecimal", "cost = 0x10" },
        { "value: Infinity", "cost = Infinity" },
        { "value: thousands separator", "cost = 1,000" },
        { "value: empty number", "latency_ms > \"\"" },
        { "value: overflowing number", "cost < 1e999" },
        { "value: UNSET is not a status filter", "status = UNSET" },
        { "value: unknown status", "status = maybe" },
        { "value: word for a score", "score__quality > high" },
        { "value: missing (JSON)", """[{"field":"model","operator":"equals"}]""" },
        { "value: scalar for in", """[{"field":"model","operator":"in","value":"gpt-4o"}]""" },
        { "value: empty in list", """[{"field":"model","operator":"in","value":[]}]""" },
        { "value: 51 in values", FiftyOneValues },
        { "value: between with one value", """[{"field":"cost","operator":"between","value":[1]}]""" },
        { "value: between with three values", """[{"field":"cost","operator":"between","value":[1,2,3]}]""" },
        { "value: array for equals", """[{"field":"model","operator":"equals","value":["a","b"]}]""" },
        { "value: value for exists", """[{"field":"metadata.env","operator":"exists","value":"x"}]""" },
        { "value: boolean", """[{"field":"model","operator":"equals","value":true}]""" },
        { "value: null", """[{"field":"model","operator":"equals","value":null}]""" },
        { "value: object in an array", """[{"field":"model","operator":"in","value":[{"a":1}]}]""" },
        { "value: too long", LongValue },
        { "value: non-numeric in between", """[{"field":"latency_ms","operator":"between","value":[1,"x"]}]""" },
        // too many predicates
        { "limit: 21 predicates in the DSL", TwentyOne },
        { "limit: 21 leaves in the JSON array", TwentyOneJson },
        { "limit: 21 leaves in one OR group", TwentyOneInGroup },
        // JSON structure
        { "json: not JSON", "[" },
        { "json: truncated tree", """{"op":"and" """ },
        { "json: unknown leaf key", """[{"field":"model","operator":"equals","value":"a","extra":1}]""" },
        { "json: empty OR group", """[{"or":[]}]""" },
        { "json: nested OR groups", """[{"or":[{"or":[{"field":"model","operator":"equals","value":"a"}]}]}]""" },
        { "json: string node", """["model = a"]""" },
        { "json: OR group with extra key", """[{"or":[{"field":"model","operator":"equals","value":"a"}],"and":[]}]""" },
        { "json: tree leaf without op", """{"field":"model"}""" },
        { "json: tree and inside and", """{"op":"and","exprs":[{"op":"and","exprs":[]}]}""" },
        { "json: tree or inside or", """{"op":"or","exprs":[{"op":"or","exprs":[{"field":"model","op":"eq","value":"a"}]}]}""" },
        { "json: tree unknown op", """{"op":"xor","exprs":[]}""" },
        { "json: tree exprs not an array", """{"op":"and","exprs":"model = a"}""" },
        { "json: tree unknown key", """{"op":"and","exprs":[],"limit":5}""" },
        // injection attempts: refused as unknown fields or bad syntax, never run
        { "injection: statement after field", "model; DROP TABLE spans = 1" },
        { "injection: OR 1=1 outside parentheses", "user_id = 'x' OR 1=1" },
        { "injection: quote in metadata key", "metadata.env') OR 1=1 -- = x" },
        { "injection: SQL in JSON field", """[{"field":"model) OR (1=1","operator":"equals","value":"a"}]""" },
        { "injection: quote in score name", "score__x' OR '1'='1 > 0" },
        { "injection: statement in status", "status = ERROR; DROP TABLE traces" },
        { "injection: union after a predicate", "latency_ms > 1 UNION SELECT 1" },
        { "injection: comment in operator", "cost >/**/ 1" },
    };

    [Theory]
    [MemberData(nameof(MalformedFilters))]
    public async Task Malformed_filters_are_invalid_filter_on_traces(string why, string filter)
    {
        var error = await ApiAssert.Error(await Client.GetAsync("/v1/traces?filter=" + Uri.EscapeDataString(filter)), HttpStatusCode.BadRequest, "invalid_filter");
        var details = error.GetProperty("details");
        Assert.True(details.TryGetProperty("filter", out var message), why);
        Assert.Equal(error.GetProperty("message").GetString(), message.GetString());
        Assert.Single(details.EnumerateObject());
    }

    [Theory]
    [MemberData(nameof(MalformedFilters))]
    public async Task Malformed_filters_are_invalid_filter_on_spans(string why, string filter)
    {
        var error = await ApiAssert.Error(await Client.GetAsync("/v1/spans?filter=" + Uri.EscapeDataString(filter)), HttpStatusCode.BadRequest, "invalid_filter");
        Assert.True(error.GetProperty("details").TryGetProperty("filter", out _), why);
    }

    [Fact]
    public async Task Messages_say_what_is_wrong()
    {
        async Task<string> Message(string filter) =>
            (await ApiAssert.Error(await Client.GetAsync("/v1/traces?filter=" + Uri.EscapeDataString(filter)), HttpStatusCode.BadRequest, "invalid_filter"))
            .GetProperty("message").GetString()!;
        Assert.Equal("Operator 'gt' is not valid for field 'model' (string) (at position 1)", await Message("model > 3"));
        Assert.StartsWith("Unknown field 'modle' for traces", await Message("modle = a"));
        Assert.Equal("Too many predicates: 21 (at most 20)", await Message(TwentyOne));
        Assert.Equal("Operator 'in' requires an array of 1 to 50 values (at filter.0)", await Message("""[{"field":"model","operator":"in","value":[]}]"""));
        Assert.Equal("Unbalanced parentheses: missing ')' for the '(' at position 1", await Message("(model = a or model = b"));
    }

    [Fact]
    public async Task A_repeated_filter_parameter_is_an_invalid_query()
    {
        var error = await ApiAssert.Error(await Client.GetAsync("/v1/traces?filter=cost%3E1&filter=cost%3C2"), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty("filter", out _));
    }

    public static TheoryData<string, string, string, string> BadSearchBodies() => new()
    {
        // path, body, code, details key
        { "/v1/traces/search", """{"filters":"model = a"}""", "invalid_request_body", "filters" },
        { "/v1/traces/search", """{"filters":null}""", "invalid_request_body", "filters" },
        { "/v1/traces/search", """{"filters":[{"field":"model"}]}""", "invalid_request_body", "filters.0.operator" },
        { "/v1/traces/search", """{"filters":[{"field":3,"operator":"equals","value":"a"}]}""", "invalid_request_body", "filters.0.field" },
        { "/v1/traces/search", """{"filters":[{"field":"model","operator":"nope","value":"a"}]}""", "invalid_request_body", "filters.0.operator" },
        { "/v1/traces/search", """{"filters":[{"field":"model","operator":"equals","value":"a","x":1}]}""", "invalid_request_body", "filters.0" },
        { "/v1/traces/search", """{"filters":[{"field":"model","operator":"equals","value":false}]}""", "invalid_request_body", "filters.0.value" },
        { "/v1/traces/search", """{"filters":[{"field":"model","operator":"equals","value":"\ud800"}]}""", "invalid_request_body", "filters.0.value" },
        { "/v1/traces/search", """{"filters":[{"or":[]}]}""", "invalid_request_body", "filters.0.or" },
        { "/v1/traces/search", """{"filters":[{"or":[{"field":"cost","operator":"gt","value":1},{"or":[]}]}]}""", "invalid_request_body", "filters.0.or.1" },
        { "/v1/traces/search", "{\"filters\":" + TwentyOneJson + "}", "invalid_request_body", "filters" },
        { "/v1/traces/search", "{\"filters\":" + FiftyOneValues + "}", "invalid_request_body", "filters.0.value" },
        { "/v1/traces/search", "{\"filters\":" + LongValue + "}", "invalid_request_body", "filters.0.value" },
        { "/v1/traces/search", """{"filters":[{"field":"modle","operator":"equals","value":"a"}]}""", "invalid_filter", "filters.0" },
        { "/v1/traces/search", """{"filters":[{"field":"model","operator":"equals","value":"a"},{"or":[{"field":"cost","operator":"gt","value":"abc"}]}]}""", "invalid_filter", "filters.1.or.0" },
        { "/v1/traces/search", """{"filters":[{"field":"model","operator":"in","value":[]}]}""", "invalid_filter", "filters.0" },
        { "/v1/traces/search", """{"filters":[{"field":"status","operator":"equals","value":"UNSET"}]}""", "invalid_filter", "filters.0" },
        { "/v1/traces/search", "{\"filters\":" + TwentyOneInGroup + "}", "invalid_filter", "filters" },
        { "/v1/traces/search", """{"foo":1}""", "invalid_request_body", "_" },
        { "/v1/traces/search", """[]""", "invalid_request_body", "_" },
        { "/v1/traces/search", "{\"limit\":", "invalid_request_body", "_" },
        { "/v1/traces/search", """{"limit":"10"}""", "invalid_request_body", "limit" },
        { "/v1/traces/search", """{"limit":0}""", "invalid_request_body", "limit" },
        { "/v1/traces/search", """{"limit":1001}""", "invalid_request_body", "limit" },
        { "/v1/traces/search", """{"limit":1.5}""", "invalid_request_body", "limit" },
        { "/v1/traces/search", """{"offset":-1}""", "invalid_request_body", "offset" },
        { "/v1/traces/search", """{"start_date":"2026-01-01"}""", "invalid_request_body", "start_date" },
        { "/v1/traces/search", """{"end_date":"2026-01-01T00:00:00+01:00"}""", "invalid_request_body", "end_date" },
        { "/v1/traces/search", """{"start_date":"2025-01-01T00:00:00.000Z","end_date":"2025-06-01T00:00:00.000Z"}""", "invalid_request_body", "start_date" },
        { "/v1/traces/search", """{"start_date":"2026-01-01T00:00:00.000Z"}""", "invalid_request_body", "start_date" },
        { "/v1/traces/search", """{"start_date":"2026-01-02T00:00:00.000Z","end_date":"2026-01-01T00:00:00.000Z"}""", "invalid_request_body", "end_date" },
        { "/v1/traces/search", """{"sort_by":"bogus"}""", "invalid_request_body", "sort_by" },
        { "/v1/traces/search", """{"sort_order":"up"}""", "invalid_request_body", "sort_order" },
        // shape problems win over a semantic filter problem in the same body
        { "/v1/traces/search", """{"filters":[{"field":"modle","operator":"equals","value":"a"}],"limit":0}""", "invalid_request_body", "limit" },
        { "/v1/spans/search", """{"sort_by":"name"}""", "invalid_request_body", "_" },
        { "/v1/spans/search", """{"filters":[{"field":"metadata.bad-key","operator":"exists"}]}""", "invalid_filter", "filters.0" },
        { "/v1/spans/search", """{"filters":{}}""", "invalid_request_body", "filters" },
    };

    [Theory]
    [MemberData(nameof(BadSearchBodies))]
    public async Task Bad_search_bodies_are_400_with_the_right_code_and_key(string path, string body, string code, string key)
    {
        var response = await Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await ApiAssert.Error(response, HttpStatusCode.BadRequest, code);
        Assert.True(error.GetProperty("details").TryGetProperty(key, out _), $"details has no '{key}': {error.GetProperty("details")}");
        if (code == "invalid_request_body") Assert.Equal("Invalid request body", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_valid_search_still_works_after_the_bad_ones()
    {
        var response = await Client.PostAsync("/v1/traces/search", new StringContent($$"""{"filters":[],{{Window}}}""", Encoding.UTF8, "application/json"));
        var body = await ApiAssert.Ok(response);
        Assert.Equal(3, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("data").ValueKind);
    }
}
