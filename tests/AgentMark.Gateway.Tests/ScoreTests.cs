using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>Scores over HTTP (wire-contract §11, legacy-sdk-endpoints.md POST /v1/score).</summary>
public sealed class ScoreTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync("--AgentMark:Apps:0=app-a", "--AgentMark:Apps:1=app-b");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Post(string path, string json, params (string, string)[] headers) =>
        _server.PostAsync(path, Encoding.UTF8.GetBytes(json), "application/json", null, headers);

    private async Task<JsonElement> Get(string path, string? app = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (app is not null) request.Headers.Add("X-Agentmark-App-Id", app);
        return await ApiAssert.Ok(await _server.Client.SendAsync(request));
    }

    private async Task<string> Create(string json, params (string, string)[] headers) =>
        (await ApiAssert.Ok(await Post("/v1/scores", json, headers), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static string[] Names(JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();

    [Fact]
    public async Task Create_answers_flat_id_and_message_with_a_data_mirror()
    {
        var body = await ApiAssert.Ok(await Post("/v1/scores", """{"resource_id":"trace-1","name":"accuracy","score":0.95}"""), HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("Score created successfully", body.GetProperty("message").GetString());
        Assert.Equal(id, body.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("Score created successfully", body.GetProperty("data").GetProperty("message").GetString());

        var score = (await Get($"/v1/scores/{id}")).GetProperty("data");
        Assert.Equal(["id", "resource_id", "name", "score", "label", "reason", "source", "created_at"], score.EnumerateObject().Select(p => p.Name));
        Assert.Equal("trace-1", score.GetProperty("resource_id").GetString());
        Assert.Equal(0.95, score.GetProperty("score").GetDouble());
        Assert.Equal("", score.GetProperty("label").GetString());
        Assert.Equal("", score.GetProperty("reason").GetString());
        Assert.Equal("api", score.GetProperty("source").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", score.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task CamelCase_resourceId_and_unknown_keys_are_accepted()
    {
        var camel = await Create("""{"resourceId":"span-1","name":"tone","score":1,"label":"casual","reason":"why","type":"eval","data_type":"categorical","extra":{"x":[1]}}""");
        var both = await Create("""{"resource_id":"snake","resourceId":"camel","name":"tone","score":0,"dataType":"whatever","source":"experiment"}""");
        var first = (await Get($"/v1/scores/{camel}")).GetProperty("data");
        Assert.Equal(("span-1", "casual", "why"), (first.GetProperty("resource_id").GetString(), first.GetProperty("label").GetString(), first.GetProperty("reason").GetString()));
        var second = (await Get($"/v1/scores/{both}")).GetProperty("data");
        Assert.Equal("snake", second.GetProperty("resource_id").GetString());
        Assert.Equal("experiment", second.GetProperty("source").GetString());
        // The recognised data type is kept (visible in aggregations); an unknown one on a single score is ignored.
        var aggregation = (await Get("/v1/scores/aggregations")).GetProperty("data")[0];
        Assert.Equal("categorical", aggregation.GetProperty("data_type").GetString());
    }

    [Theory]
    [InlineData("boolean", 1)]
    [InlineData("numeric", 4.5)]
    [InlineData("categorical", 0.5)]
    public async Task Numeric_categorical_and_boolean_scores_are_stored(string dataType, double value)
    {
        var id = await Create($$"""{"resource_id":"r","name":"{{dataType}}-score","score":{{value}},"data_type":"{{dataType}}"}""");
        Assert.Equal(value, (await Get($"/v1/scores/{id}")).GetProperty("data").GetProperty("score").GetDouble());
        var aggregation = (await Get("/v1/scores/aggregations")).GetProperty("data")[0];
        Assert.Equal((dataType + "-score", dataType), (aggregation.GetProperty("name").GetString(), aggregation.GetProperty("data_type").GetString()));
    }

    [Fact]
    public async Task The_legacy_sdk_route_answers_like_the_plural_one()
    {
        // What @agentmark/sdk 4.x sends: raw key, unconfigured app id, camelCase resourceId, no source.
        var response = await Post("/v1/score", """{"resourceId":"0123456789abcdef0123456789abcdef","label":"correct","reason":"matches","score":1,"name":"correctness","type":"eval"}""",
            ("Authorization", "sk_agentmark_whatever"), ("X-Agentmark-App-Id", "undefined"));
        var body = await ApiAssert.Ok(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("Score created successfully", body.GetProperty("message").GetString());
        Assert.Equal(id, body.GetProperty("data").GetProperty("id").GetString());
        var score = (await Get($"/v1/scores/{id}")).GetProperty("data");
        Assert.Equal("api", score.GetProperty("source").GetString());
        Assert.Equal("correct", score.GetProperty("label").GetString());
        Assert.Equal(1, (await Get("/v1/scores?resource_type=trace")).GetProperty("pagination").GetProperty("total").GetInt64());

        await ApiAssert.Error(await Post("/v1/score", """{"resourceId":"r","name":"n","score":"1"}"""), HttpStatusCode.BadRequest, "invalid_request_body");
    }

    [Theory]
    [InlineData("""{"name":"n","score":1}""", "resource_id", "Required")]
    [InlineData("""{"resource_id":"","name":"n","score":1}""", "resource_id", "String must contain at least 1 character(s)")]
    [InlineData("""{"resource_id":42,"name":"n","score":1}""", "resource_id", "Expected string, received number")]
    [InlineData("""{"resource_id":"r","score":1}""", "name", "Required")]
    [InlineData("""{"resource_id":"r","name":["n"],"score":1}""", "name", "Expected string, received array")]
    [InlineData("""{"resource_id":"r","name":"n"}""", "score", "Required")]
    [InlineData("""{"resource_id":"r","name":"n","score":"0.5"}""", "score", "Expected number, received string")]
    [InlineData("""{"resource_id":"r","name":"n","score":true}""", "score", "Expected number, received boolean")]
    [InlineData("""{"resource_id":"r","name":"n","score":1e400}""", "score", "Number must be finite")]
    [InlineData("""{"resource_id":"r","name":"n","score":1,"label":5}""", "label", "Expected string, received number")]
    [InlineData("""{"resource_id":"r","name":"n","score":1,"reason":{}}""", "reason", "Expected string, received object")]
    [InlineData("""{"resource_id":"r","name":"n","score":1,"source":"eval"}""", "source", "Invalid enum value. Expected 'experiment' | 'annotation' | 'api', received 'eval'")]
    [InlineData("""{"resource_id":"a\ud800b","name":"n","score":1}""", "resource_id", "String contains invalid UTF-8 (unpaired surrogate characters).")]
    [InlineData("""[{"resource_id":"r","name":"n","score":1}]""", "_", "Expected object, received array")]
    [InlineData("""{"resource_id":"r","name":"n","score":1,"source":"\udc00"}""", "source", "String contains invalid UTF-8 (unpaired surrogate characters).")]
    [InlineData("""{"resource_id":"r","name":"n","score":1,"\ud800x":1}""", "_", "String contains invalid UTF-8 (unpaired surrogate characters).")]
    public async Task Bad_bodies_are_400_with_the_field_in_details(string json, string field, string message)
    {
        var error = await ApiAssert.Error(await Post("/v1/scores", json), HttpStatusCode.BadRequest, "invalid_request_body");
        Assert.Equal("Invalid request body", error.GetProperty("message").GetString());
        Assert.Equal(message, error.GetProperty("details").GetProperty(field).GetString());
        Assert.Equal(0, (await Get("/v1/scores")).GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Malformed_and_encoded_bodies()
    {
        var error = await ApiAssert.Error(await Post("/v1/scores", """{"resource_id":"""), HttpStatusCode.BadRequest, "invalid_request_body");
        Assert.True(error.GetProperty("details").TryGetProperty("_", out _));
        await ApiAssert.Error(await Post("/v1/scores", ""), HttpStatusCode.BadRequest, "invalid_request_body");

        var gzipped = Otlp.Gzip(Encoding.UTF8.GetBytes("""{"resource_id":"r","name":"gz","score":1}"""));
        await ApiAssert.Ok(await _server.PostAsync("/v1/scores", gzipped, "application/json", "gzip"), HttpStatusCode.Created);
        await ApiAssert.Error(await _server.PostAsync("/v1/scores", [1, 2, 3], "application/json", "br"), HttpStatusCode.UnsupportedMediaType, "unsupported_content_encoding");
        await ApiAssert.Error(await _server.PostAsync("/v1/scores", [1, 2, 3], "application/json", "gzip"), HttpStatusCode.BadRequest, "invalid_request_body");
    }

    [Fact]
    public async Task A_batch_of_valid_items_is_201_in_input_order()
    {
        var items = string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""{"resource_id":"r{{i}}","name":"n","score":{{i}},"client_id":"row-{{i}}"}"""));
        var body = await ApiAssert.Ok(await Post("/v1/scores/batch", $$"""{"scores":[{{items}}]}"""), HttpStatusCode.Created);
        var results = body.GetProperty("data").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["row-0", "row-1", "row-2"], results.Select(r => r.GetProperty("client_id").GetString()));
        Assert.All(results, r => Assert.Equal("success", r.GetProperty("status").GetString()));
        var summary = body.GetProperty("data").GetProperty("summary");
        Assert.Equal((3, 3, 0), (summary.GetProperty("total").GetInt32(), summary.GetProperty("succeeded").GetInt32(), summary.GetProperty("failed").GetInt32()));
        for (var i = 0; i < 3; i++)
        {
            var stored = (await Get($"/v1/scores/{results[i].GetProperty("id").GetString()}")).GetProperty("data");
            Assert.Equal($"r{i}", stored.GetProperty("resource_id").GetString());
        }
    }

    [Fact]
    public async Task A_mixed_batch_is_207_and_bad_items_never_block_good_ones()
    {
        var body = await ApiAssert.Ok(await Post("/v1/scores/batch", $$"""
            {"scores":[
              {"resource_id":"good-1","name":"n","score":1,"client_id":"a"},
              {"name":"n","score":1,"client_id":"b"},
              {"resourceId":"good-2","name":"n","score":2,"dataType":"numeric","type":"x","unknown":true},
              {"resource_id":"r","name":"n","score":1,"dataType":"percent"},
              {"resource_id":"r","name":"n","score":"1"},
              {"resource_id":"r","score":1},
              {"resource_id":"r","name":"n","score":1,"source":"eval"},
              {"resource_id":"r","name":"n","score":1,"client_id":"{{new string('x', 129)}}"},
              "not an object",
              {"resource_id":"r","name":"n","score":1,"dataType":"\ud800","type":"\ud800","\ud800":1}
            ]}
            """), HttpStatusCode.MultiStatus);
        var results = body.GetProperty("data").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(10, results.Count);
        Assert.Equal(["success", "error", "success", "error", "error", "error", "error", "error", "error", "error"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("a", results[0].GetProperty("client_id").GetString());
        Assert.Equal("b", results[1].GetProperty("client_id").GetString());
        Assert.False(results[2].TryGetProperty("client_id", out _));
        Assert.False(results[1].TryGetProperty("id", out _));
        string Code(int i) => results[i].GetProperty("error").GetProperty("code").GetString()!;
        Assert.Equal("missing_required_field", Code(1));
        Assert.Equal("resource_id is required", results[1].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(["invalid_field_value", "invalid_field_value", "missing_required_field", "invalid_field_value", "invalid_field_value", "invalid_field_value", "invalid_field_value"],
            Enumerable.Range(3, 7).Select(Code));
        Assert.Equal("name is required", results[5].GetProperty("error").GetProperty("message").GetString());
        var summary = body.GetProperty("data").GetProperty("summary");
        Assert.Equal((10, 2, 8), (summary.GetProperty("total").GetInt32(), summary.GetProperty("succeeded").GetInt32(), summary.GetProperty("failed").GetInt32()));

        var stored = await Get("/v1/scores");
        Assert.Equal(2, stored.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(["good-2", "good-1"], stored.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("resource_id").GetString()));
    }

    [Fact]
    public async Task A_batch_where_every_item_fails_is_400_with_the_results_body()
    {
        var body = await ApiAssert.Ok(await Post("/v1/scores/batch", """{"scores":[{"name":"n","score":1},{"resource_id":"r","name":"n","score":null}]}"""), HttpStatusCode.BadRequest);
        Assert.False(body.TryGetProperty("error", out _));
        Assert.Equal(2, body.GetProperty("data").GetProperty("summary").GetProperty("failed").GetInt32());
        Assert.Equal("score is required", body.GetProperty("data").GetProperty("results")[1].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, (await Get("/v1/scores")).GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_batch_above_1000_is_413_and_exactly_1000_is_stored()
    {
        string Batch(int n) => "{\"scores\":[" + string.Join(",", Enumerable.Range(0, n).Select(i => $$"""{"resource_id":"r{{i}}","name":"n","score":{{i}}}""")) + "]}";
        var error = await ApiAssert.Error(await Post("/v1/scores/batch", Batch(1001)), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("1001", error.GetProperty("message").GetString());
        Assert.Equal(0, (await Get("/v1/scores")).GetProperty("pagination").GetProperty("total").GetInt64());

        await ApiAssert.Ok(await Post("/v1/scores/batch", Batch(1000)), HttpStatusCode.Created);
        Assert.Equal(1000, (await Get("/v1/scores?limit=1")).GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("""{}""", "scores", "Required")]
    [InlineData("""{"scores":{}}""", "scores", "Expected array, received object")]
    [InlineData("""{"scores":[]}""", "scores", "scores must contain at least one item")]
    [InlineData("""[]""", "_", "Expected object, received array")]
    public async Task A_bad_batch_envelope_is_400(string json, string field, string message)
    {
        var error = await ApiAssert.Error(await Post("/v1/scores/batch", json), HttpStatusCode.BadRequest, "invalid_request_body");
        Assert.Equal(message, error.GetProperty("details").GetProperty(field).GetString());
    }

    [Fact]
    public async Task Get_and_delete_answer_404_for_unknown_ids_and_delete_is_204()
    {
        await ApiAssert.Error(await _server.Client.GetAsync("/v1/scores/00000000-0000-0000-0000-000000000000"), HttpStatusCode.NotFound, "not_found");
        await ApiAssert.Error(await _server.Client.GetAsync("/v1/scores/not-a-uuid"), HttpStatusCode.NotFound, "not_found");
        await ApiAssert.Error(await _server.Client.DeleteAsync("/v1/scores/not-a-uuid"), HttpStatusCode.NotFound, "not_found");

        var id = await Create("""{"resource_id":"r","name":"n","score":1}""");
        var deleted = await _server.Client.DeleteAsync($"/v1/scores/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        var error = await ApiAssert.Error(await _server.Client.GetAsync($"/v1/scores/{id}"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal("Score not found", error.GetProperty("message").GetString());
        await ApiAssert.Error(await _server.Client.DeleteAsync($"/v1/scores/{id}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Unknown_resource_ids_are_accepted_and_typed_by_shape()
    {
        // A score may arrive before its trace is exported; nothing requires the resource to exist yet.
        await Create($$"""{"resource_id":"{{Otlp.TraceId(99)}}","name":"n","score":1}""");
        await Create($$"""{"resource_id":"{{Otlp.SpanId(99)}}","name":"n","score":1}""");
        Assert.Equal([Otlp.TraceId(99)], (await Get("/v1/scores?resource_type=trace")).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("resource_id").GetString()));
        Assert.Equal([Otlp.SpanId(99)], (await Get("/v1/scores?resource_type=span")).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("resource_id").GetString()));
        Assert.Equal(0, (await Get("/v1/scores?resource_id=nothing-scored")).GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_list_filters_pages_and_validates()
    {
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), attributes: Otlp.StringAttr("agentmark.session_id", "sess-a")),
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(2), parent: Otlp.SpanId(1)),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), attributes: Otlp.StringAttr("agentmark.session_id", "sess-b"))), "application/json"));
        await Create($$"""{"resource_id":"{{Otlp.TraceId(1)}}","name":"accuracy","score":1,"source":"experiment"}""");
        await Create($$"""{"resource_id":"{{Otlp.SpanId(2)}}","name":"tone","score":0.5,"source":"annotation"}""");
        await Create($$"""{"resource_id":"{{Otlp.TraceId(2)}}","name":"accuracy","score":0}""");

        Assert.Equal(["accuracy", "tone", "accuracy"], Names(await Get("/v1/scores")));
        Assert.Equal(["tone", "accuracy"], Names(await Get("/v1/scores?session_id=sess-a")));
        Assert.Equal(["accuracy"], Names(await Get("/v1/scores?session_id=sess-b")));
        Assert.Equal(["tone"], Names(await Get("/v1/scores?resource_type=span")));
        Assert.Equal(["tone"], Names(await Get("/v1/scores?source=annotation")));
        Assert.Equal(2, Names(await Get("/v1/scores?name=accuracy")).Length);
        Assert.Equal(["accuracy"], Names(await Get($"/v1/scores?resource_id={Otlp.TraceId(2)}")));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        Assert.Equal(3, Names(await Get($"/v1/scores?start_date={yesterday}&end_date={today}")).Length);
        Assert.Empty(Names(await Get($"/v1/scores?end_date={yesterday}")));

        var page = await Get("/v1/scores?limit=1&offset=1");
        Assert.Equal(["tone"], Names(page));
        Assert.Equal((3, 1, 1), (page.GetProperty("pagination").GetProperty("total").GetInt64(), page.GetProperty("pagination").GetProperty("limit").GetInt32(), page.GetProperty("pagination").GetProperty("offset").GetInt32()));

        foreach (var (query, field) in new[] { ("resource_type=session", "resource_type"), ("source=eval", "source"), ("start_date=2026-13-01", "start_date"),
                     ("end_date=2201-01-01", "end_date"), ("limit=0", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"), ("name=a&name=b", "name") })
        {
            var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/scores?" + query), HttpStatusCode.BadRequest, "invalid_query_params");
            Assert.True(error.GetProperty("details").TryGetProperty(field, out _), query);
        }
    }

    [Fact]
    public async Task Names_and_aggregations()
    {
        await ApiAssert.Ok(await Post("/v1/scores/batch", """
            {"scores":[{"resource_id":"a","name":"relevance","score":1},{"resource_id":"b","name":"accuracy","score":0.5},
                       {"resource_id":"c","name":"accuracy","score":1.5,"data_type":"numeric"},{"resource_id":"d","name":"accuracy","score":-1}]}
            """), HttpStatusCode.Created);
        Assert.Equal(["accuracy", "relevance"], (await Get("/v1/scores/names")).GetProperty("data").EnumerateArray().Select(n => n.GetString()));

        var data = (await Get("/v1/scores/aggregations")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["accuracy", "relevance"], data.Select(a => a.GetProperty("name").GetString()));
        var accuracy = data[0];
        Assert.Equal(1.0 / 3, accuracy.GetProperty("avg_score").GetDouble(), 12);
        Assert.Equal(3, accuracy.GetProperty("count").GetInt64());
        Assert.Equal(-1, accuracy.GetProperty("min_score").GetDouble());
        Assert.Equal(1.5, accuracy.GetProperty("max_score").GetDouble());
        Assert.Equal("numeric", accuracy.GetProperty("data_type").GetString());
        Assert.Equal("", data[1].GetProperty("data_type").GetString());

        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        Assert.Empty((await Get($"/v1/scores/aggregations?start_date={tomorrow}")).GetProperty("data").EnumerateArray());
        await ApiAssert.Error(await _server.Client.GetAsync("/v1/scores/aggregations?end_date=yesterday"), HttpStatusCode.BadRequest, "invalid_query_params");
    }

    [Fact]
    public async Task Trace_detail_shows_the_scores_of_the_trace_and_its_spans()
    {
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1)),
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(2), parent: Otlp.SpanId(1)),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3))), "application/json"));
        var onTrace = await Create($$"""{"resource_id":"{{Otlp.TraceId(1)}}","name":"accuracy","score":1,"label":"good","reason":"ok","source":"experiment"}""");
        await Create($$"""{"resource_id":"{{Otlp.TraceId(1)}}","name":"other-app","score":1}""", ("X-Agentmark-App-Id", "app-a"));
        var onSpan = await Create($$"""{"resource_id":"{{Otlp.SpanId(2)}}","name":"tone","score":0.5}""");
        await Create($$"""{"resource_id":"{{Otlp.TraceId(2)}}","name":"accuracy","score":0}""");
        await Create($$"""{"resource_id":"{{Otlp.SpanId(3)}}","name":"accuracy","score":0}""");

        var detail = (await Get($"/v1/traces/{Otlp.TraceId(1)}?fields=scores,graph")).GetProperty("data");
        var scores = detail.GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal([onSpan, onTrace], scores.Select(s => s.GetProperty("id").GetString()));
        var trace = scores[1];
        Assert.Equal(["id", "resource_id", "name", "score", "label", "reason", "source", "created_at"], trace.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("good", "ok", "experiment"), (trace.GetProperty("label").GetString(), trace.GetProperty("reason").GetString(), trace.GetProperty("source").GetString()));

        Assert.False((await Get($"/v1/traces/{Otlp.TraceId(1)}")).GetProperty("data").TryGetProperty("scores", out _));
    }

    [Fact]
    public async Task Each_app_sees_only_its_own_scores()
    {
        var mine = await Create("""{"resource_id":"r","name":"private","score":1}""", ("X-Agentmark-App-Id", "app-a"));
        await ApiAssert.Ok(await Post("/v1/scores/batch", """{"scores":[{"resource_id":"r","name":"theirs","score":1}]}""", ("X-Agentmark-App-Id", "app-b")), HttpStatusCode.Created);

        Assert.Equal(["private"], Names(await Get("/v1/scores", "app-a")));
        Assert.Equal(["theirs"], Names(await Get("/v1/scores", "app-b")));
        Assert.Empty(Names(await Get("/v1/scores")));
        Assert.Equal(["theirs"], (await Get("/v1/scores/names", "app-b")).GetProperty("data").EnumerateArray().Select(n => n.GetString()));
        Assert.Single((await Get("/v1/scores/aggregations", "app-a")).GetProperty("data").EnumerateArray());

        var asOther = new HttpRequestMessage(HttpMethod.Get, $"/v1/scores/{mine}") { Headers = { { "X-Agentmark-App-Id", "app-b" } } };
        await ApiAssert.Error(await _server.Client.SendAsync(asOther), HttpStatusCode.NotFound, "not_found");
        var deleteAsOther = new HttpRequestMessage(HttpMethod.Delete, $"/v1/scores/{mine}") { Headers = { { "X-Agentmark-App-Id", "app-b" } } };
        await ApiAssert.Error(await _server.Client.SendAsync(deleteAsOther), HttpStatusCode.NotFound, "not_found");
        Assert.Equal("private", (await Get($"/v1/scores/{mine}", "app-a")).GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Search_takes_a_strict_body_and_the_filter_language()
    {
        await Create("""{"resource_id":"r1","name":"recent","score":1,"label":"good"}""");
        await Create("""{"resource_id":"r2","name":"other","score":0.2,"source":"annotation"}""");
        var all = await ApiAssert.Ok(await Post("/v1/scores/search", "{}"));
        Assert.Equal(["other", "recent"], Names(all));
        Assert.Equal(50, all.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(["other"], Names(await ApiAssert.Ok(await Post("/v1/scores/search", """{"filters":[],"limit":1,"offset":0}"""))));
        var from = DateTime.UtcNow.AddDays(-89).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        Assert.Equal(2, Names(await ApiAssert.Ok(await Post("/v1/scores/search", $$"""{"start_date":"{{from}}"}"""))).Length);
        Assert.Empty(Names(await ApiAssert.Ok(await Post("/v1/scores/search", """{"start_date":"2026-01-01T00:00:00.000Z","end_date":"2026-01-02T00:00:00.000Z"}"""))));

        Assert.Equal(["recent"], Names(await ApiAssert.Ok(await Post("/v1/scores/search", """{"filters":[{"field":"name","operator":"equals","value":"recent"}]}"""))));
        Assert.Equal(["other"], Names(await ApiAssert.Ok(await Post("/v1/scores/search", """{"filters":[{"field":"score","operator":"lt","value":0.5}]}"""))));
        Assert.Equal(["recent"], Names(await ApiAssert.Ok(await Post("/v1/scores/search",
            """{"filters":[{"or":[{"field":"label","operator":"startsWith","value":"go"},{"field":"source","operator":"equals","value":"nope"}]},{"field":"resource_id","operator":"in","value":["r1","r3"]}]}"""))));

        foreach (var (json, field) in new[]
                 {
                     ("""{"sort_by":"name"}""", "_"), ("""{"limit":"5"}""", "limit"), ("""{"limit":2.5}""", "limit"), ("""{"limit":1001}""", "limit"),
                     ("""{"offset":-1}""", "offset"), ("""{"start_date":"2026-01-01"}""", "start_date"),
                     ("""{"start_date":"2026-01-01T00:00:00+00:00"}""", "start_date"),
                     ("""{"start_date":"2026-01-01T00:00:00.000Z","end_date":"2026-05-01T00:00:00.000Z"}""", "start_date"),
                     ("""{"start_date":"2026-02-01T00:00:00.000Z","end_date":"2026-01-01T00:00:00.000Z"}""", "end_date"),
                     ("""[]""", "_"), ("""{"\ud800":1}""", "_"), ("""{"start_date":"\ud800"}""", "_"),
                 })
        {
            var error = await ApiAssert.Error(await Post("/v1/scores/search", json), HttpStatusCode.BadRequest, "invalid_request_body");
            Assert.True(error.GetProperty("details").TryGetProperty(field, out _), json);
        }
        await ApiAssert.Error(await Post("/v1/scores/search", """{"filters":[{"field":"model","operator":"equals","value":"gpt-4o"}]}"""), HttpStatusCode.BadRequest, "invalid_filter");
        await ApiAssert.Error(await Post("/v1/scores/search", """{"filters":[{"field":"score","operator":"contains","value":"1"}]}"""), HttpStatusCode.BadRequest, "invalid_filter");
    }
}
