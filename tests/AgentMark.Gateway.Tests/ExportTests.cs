using System.Net;
using System.Text;
using System.Text.Json;
using AgentMark.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace AgentMark.Gateway.Tests;

public sealed class ExportTests : IAsyncLifetime
{
    private const string Day = "startDate=2026-01-01T00:00:00.000Z&endDate=2026-01-01T23:59:59.999Z";
    /// <summary>The captured AI SDK fixture was recorded on 2026-11-25.</summary>
    private const string FixtureDay = "startDate=2026-11-25T00:00:00Z&endDate=2026-11-25T23:59:59Z";
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        // Trace 1: a root span and its generation, with CSV-hostile text; trace 2: an error; trace 3: five
        // spans in three milliseconds (32, 32, 31, 30, 30) for paging across shared milliseconds.
        await Post(Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "checkout", startMs: 0, durationMs: 900, status: 1, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.user_id", "user-1"), Otlp.StringAttr("agentmark.session_id", "sess-a"),
                Otlp.StringAttr("agentmark.trace_name", "Checkout, \"Run\""), Otlp.StringAttr("agentmark.tags", "[\"prod\",\"web\"]"),
                Otlp.StringAttr("agentmark.metadata.team", "core"), Otlp.StringAttr("agentmark.metadata.graph.node.id", "start"))),
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(2), parent: Otlp.SpanId(1), name: "chat gpt-4o", startMs: 10, durationMs: 500, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o"),
                Otlp.IntAttr("gen_ai.usage.input_tokens", 1000), Otlp.IntAttr("gen_ai.usage.output_tokens", 200),
                Otlp.StringAttr("gen_ai.request.input", "What is 2+2?"), Otlp.StringAttr("gen_ai.response.output", "4,\n\"four\" é"),
                Otlp.StringAttr("agentmark.user_id", "user-1"))),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), name: "search", startMs: 20, durationMs: 50, status: 2, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.user_id", "user-2"), Otlp.StringAttr("agentmark.tags", "[\"dev\"]"), Otlp.StringAttr("agentmark.metadata.team", "edge"))),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(4), name: "step", startMs: 30),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(5), name: "step", startMs: 30),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(6), name: "step", startMs: 31),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(7), name: "step", startMs: 32),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(8), name: "step", startMs: 32)));
        await Post(await File.ReadAllBytesAsync(Otlp.FixturePath("ai-sdk-v6-generateText-toolcall.otlp.json")));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task Post(byte[] body) => await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));

    private sealed record Export(HttpResponseMessage Response, string Body)
    {
        public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        public JsonElement[] Rows => Lines[..^1].Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        public JsonElement Meta => JsonDocument.Parse(Lines[^1]).RootElement.GetProperty("_export_meta");
        public string[] SpanIds => Rows.Select(r => r.GetProperty("span_id").GetString()!).ToArray();
        public string Header(string name) => Response.Headers.TryGetValues(name, out var values) ? values.Single() : "(absent)";
    }

    private async Task<Export> Get(string query)
    {
        var response = await _server.Client.GetAsync("/v1/traces/export?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return new Export(response, body);
    }

    [Fact]
    public async Task Jsonl_has_one_export_row_per_span_and_a_final_meta_line()
    {
        var export = await Get(Day);
        Assert.Equal("application/x-ndjson", export.Response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("\n", export.Body);
        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1], export.SpanIds.Select(id => Convert.ToInt32(id, 16)));
        var meta = export.Meta;
        Assert.Equal((8, 8, 0), (meta.GetProperty("total").GetInt32(), meta.GetProperty("exported").GetInt32(), meta.GetProperty("skipped").GetInt32()));
        Assert.Equal(JsonValueKind.Null, meta.GetProperty("next_cursor").ValueKind);
        Assert.Equal(("8", "8", "0", "(absent)"), (export.Header("X-Export-Total"), export.Header("X-Export-Exported"),
            export.Header("X-Export-Skipped"), export.Header("X-Export-Next-Cursor")));

        var generation = export.Rows[6];
        Assert.Equal(
            ["trace_id", "span_id", "parent_span_id", "trace_name", "name", "type", "status", "status_message", "model", "timestamp",
             "duration_ms", "input_tokens", "output_tokens", "total_tokens", "reasoning_tokens", "cost", "user_id", "session_id",
             "prompt_name", "tags", "metadata", "scores", "input", "output", "output_object", "tool_calls"],
            generation.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Otlp.TraceId(1), generation.GetProperty("trace_id").GetString());
        Assert.Equal(Otlp.SpanId(1), generation.GetProperty("parent_span_id").GetString());
        Assert.Equal("Checkout, \"Run\"", generation.GetProperty("trace_name").GetString());
        Assert.Equal("GENERATION", generation.GetProperty("type").GetString());
        Assert.Equal("UNSET", generation.GetProperty("status").GetString());
        Assert.Equal("", generation.GetProperty("status_message").GetString());
        Assert.Equal("gpt-4o", generation.GetProperty("model").GetString());
        Assert.Equal("2026-01-01T00:00:00.010Z", generation.GetProperty("timestamp").GetString());
        Assert.Equal((500, 1000, 200, 1200, 0), (generation.GetProperty("duration_ms").GetInt32(), generation.GetProperty("input_tokens").GetInt32(),
            generation.GetProperty("output_tokens").GetInt32(), generation.GetProperty("total_tokens").GetInt32(), generation.GetProperty("reasoning_tokens").GetInt32()));
        Assert.True(generation.GetProperty("cost").GetDouble() > 0);
        Assert.Equal("user-1", generation.GetProperty("user_id").GetString());
        Assert.Equal(0, generation.GetProperty("scores").GetArrayLength());
        Assert.Equal("What is 2+2?", JsonDocument.Parse(generation.GetProperty("input").GetString()!).RootElement[0].GetProperty("content").GetString());
        Assert.Equal("4,\n\"four\" é", generation.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, generation.GetProperty("output_object").ValueKind);
        Assert.Contains("\"output\":\"4,\\n\\\"four\\\" é\"", export.Lines[6]); // UTF-8 kept, not \u-escaped

        var root = export.Rows[7];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent_span_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("model").ValueKind);
        Assert.Equal("OK", root.GetProperty("status").GetString());
        Assert.Equal("sess-a", root.GetProperty("session_id").GetString());
        Assert.Equal(["prod", "web"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("""{"team":"core"}""", root.GetProperty("metadata").GetRawText());
        Assert.Equal("ERROR", export.Rows[5].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Lightweight_rows_leave_out_the_io_fields()
    {
        var export = await Get(Day + "&lightweight=true");
        Assert.All(export.Rows, row =>
        {
            Assert.Equal("scores", row.EnumerateObject().Last().Name);
            Assert.False(row.TryGetProperty("input", out _));
        });
        var csv = await Get(Day + "&format=csv&lightweight=1");
        Assert.EndsWith(",metadata,scores", csv.Body.Split("\r\n")[0]);
    }

    [Fact]
    public async Task Csv_has_a_header_and_rfc4180_quoting()
    {
        var export = await Get(Day + "&format=csv");
        Assert.Equal("text/csv; charset=utf-8", export.Response.Content.Headers.ContentType!.ToString());
        Assert.Equal("8", export.Header("X-Export-Exported"));
        var records = ParseCsv(export.Body);
        Assert.Equal(
            ["trace_id", "span_id", "parent_span_id", "trace_name", "name", "type", "status", "status_message", "model", "timestamp",
             "duration_ms", "input_tokens", "output_tokens", "total_tokens", "reasoning_tokens", "cost", "user_id", "session_id",
             "prompt_name", "tags", "metadata", "scores", "input", "output", "output_object", "tool_calls"], records[0]);
        Assert.Equal(9, records.Count);
        Assert.All(records, r => Assert.Equal(26, r.Length));

        var generation = records[7];
        var column = (string name) => Array.IndexOf(records[0], name);
        Assert.Equal(Otlp.SpanId(2), generation[column("span_id")]);
        Assert.Equal("Checkout, \"Run\"", generation[column("trace_name")]);
        Assert.Equal("4,\n\"four\" é", generation[column("output")]);
        Assert.Equal("", generation[column("output_object")]); // null is an empty field
        Assert.Equal("1200", generation[column("total_tokens")]);
        Assert.Equal("[]", generation[column("tags")]);
        Assert.Equal("[]", generation[column("scores")]);
        Assert.Equal("""["prod","web"]""", records[8][column("tags")]);
        Assert.Equal("""{"team":"core"}""", records[8][column("metadata")]);
        Assert.Equal("", records[8][column("parent_span_id")]);
        // The raw text: quotes doubled inside quoted fields, CRLF between records.
        Assert.Contains("\"Checkout, \"\"Run\"\"\"", export.Body);
        Assert.Contains(",\"4,\n\"\"four\"\" é\",", export.Body);
        Assert.Contains(",\"[\"\"prod\"\",\"\"web\"\"]\",", export.Body);
        Assert.EndsWith("\r\n", export.Body);
        Assert.Equal(9, export.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Openai_format_makes_fine_tuning_examples_from_chat_generations()
    {
        var export = await Get(FixtureDay + "&format=openai");
        Assert.Equal("application/x-ndjson", export.Response.Content.Headers.ContentType!.MediaType);
        var meta = export.Meta;
        // Four spans: two generations convert, the wrapper and the tool call do not.
        Assert.Equal((4, 2, 2), (meta.GetProperty("total").GetInt32(), meta.GetProperty("exported").GetInt32(), meta.GetProperty("skipped").GetInt32()));
        Assert.Equal(("4", "2", "2"), (export.Header("X-Export-Total"), export.Header("X-Export-Exported"), export.Header("X-Export-Skipped")));

        var lines = export.Lines[..^1].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messages").GetRawText()).ToArray();
        // Newest first: the second step answers after the tool result.
        Assert.Equal("""
            [{"role":"user","content":"What is the weather in Paris?"},{"role":"assistant","tool_calls":[{"id":"call-1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call-1","content":"{\"city\":\"Paris\",\"temp\":21}"},{"role":"assistant","content":"It is sunny in Paris."}]
            """, lines[0]);
        // The first step's own result is a tool call.
        Assert.Equal("""
            [{"role":"user","content":"What is the weather in Paris?"},{"role":"assistant","tool_calls":[{"id":"call-1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]}]
            """, lines[1]);

        // A plain generation converts too; plain spans are skipped.
        var day = await Get(Day + "&format=openai");
        Assert.Equal((8, 1, 7), (day.Meta.GetProperty("total").GetInt32(), day.Meta.GetProperty("exported").GetInt32(), day.Meta.GetProperty("skipped").GetInt32()));
        Assert.Equal("""[{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4,\n\"four\" é"}]""",
            JsonDocument.Parse(day.Lines[0]).RootElement.GetProperty("messages").GetRawText().Replace("\\u00E9", "é"));
    }

    [Fact]
    public async Task Cursor_pages_cover_every_span_once_and_never_split_a_millisecond()
    {
        var seen = new List<string>();
        var pages = new List<int>();
        string? cursor = null;
        do
        {
            var export = await Get(Day + "&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            pages.Add(export.Rows.Length);
            seen.AddRange(export.SpanIds);
            var next = export.Meta.GetProperty("next_cursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            Assert.Equal(cursor ?? "(absent)", export.Header("X-Export-Next-Cursor"));
            if (cursor is not null) Assert.Equal(cursor, export.Rows[^1].GetProperty("timestamp").GetString());
        } while (cursor is not null && pages.Count < 20);

        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1], seen.Select(id => Convert.ToInt32(id, 16)));
        // 32,32 | 31 (30 would split) | 30,30 | 20,10 | 0
        Assert.Equal([2, 1, 2, 2, 1], pages);
    }

    [Theory]
    [InlineData("&type=GENERATION", new[] { 2 })]
    [InlineData("&type=all", new[] { 8, 7, 6, 5, 4, 3, 2, 1 })]
    [InlineData("&model=gpt-4o", new[] { 2 })]
    [InlineData("&status=STATUS_CODE_ERROR", new[] { 3 })]
    [InlineData("&status=STATUS_CODE_OK", new[] { 1 })]
    [InlineData("&name=SEAR", new[] { 3 })]
    [InlineData("&userId=user-2", new[] { 3 })]
    [InlineData("&tag=prod", new[] { 2, 1 })]
    [InlineData("&metadata_key=team&metadata_value=edge", new[] { 3 })]
    [InlineData("&minScore=0.5", new[] { 3 })]
    [InlineData("&maxScore=0.5", new[] { 2, 1 })]
    [InlineData("&minScore=0.1&maxScore=0.3", new[] { 2, 1 })]
    [InlineData("&minScore=0.95", new int[0])]
    public async Task Filters_select_the_documented_spans(string filter, int[] expected)
    {
        await InsertScoreAsync(Otlp.TraceId(2), 0.9);
        await InsertScoreAsync(Otlp.SpanId(2), 0.2);
        Assert.Equal(expected, (await Get(Day + filter)).SpanIds.Select(id => Convert.ToInt32(id, 16)));
    }

    [Fact]
    public async Task Rows_carry_the_scores_of_their_span_and_trace()
    {
        await InsertScoreAsync(Otlp.TraceId(1), 0.75, "good");
        var rows = (await Get(Day + "&type=GENERATION")).Rows;
        Assert.Equal("""[{"name":"quality","score":0.75,"label":"good","reason":"","source":"api"}]""", rows[0].GetProperty("scores").GetRawText());
    }

    [Fact]
    public async Task Scores_created_through_the_scores_api_filter_and_appear_in_rows()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"resource_id":"{{Otlp.SpanId(3)}}","name":"helpful","score":0.8,"label":"yes"}""");
        await ApiAssert.Ok(await _server.PostAsync("/v1/scores", body, "application/json"), HttpStatusCode.Created);
        var export = await Get(Day + "&minScore=0.8");
        Assert.Equal([Otlp.SpanId(3)], export.SpanIds);
        var score = export.Rows[0].GetProperty("scores")[0];
        Assert.Equal(("helpful", 0.8, "yes"), (score.GetProperty("name").GetString(), score.GetProperty("score").GetDouble(), score.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Without_dates_the_window_is_the_last_thirty_days()
    {
        var startMs = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000 - Otlp.BaseNs) / 1_000_000 - 3_600_000;
        await Post(Otlp.JsonBody("agentmark", Otlp.JsonSpan(Otlp.TraceId(9), Otlp.SpanId(9), name: "recent", startMs: startMs)));
        var export = await Get("");
        Assert.Contains(Otlp.SpanId(9), export.SpanIds);
        Assert.DoesNotContain(Otlp.SpanId(1), export.SpanIds); // 2026-01-01 is older than thirty days
        // An endDate alone means the thirty days before it.
        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1], (await Get("endDate=2026-01-02T00:00:00Z")).SpanIds.Select(id => Convert.ToInt32(id, 16)));
        Assert.Empty((await Get("endDate=2026-03-01T00:00:00Z")).SpanIds);
    }

    [Fact]
    public async Task An_empty_page_is_just_the_meta_line_or_the_csv_header()
    {
        var export = await Get("startDate=2025-01-01T00:00:00Z&endDate=2025-01-02T00:00:00Z");
        Assert.Single(export.Lines);
        Assert.Equal(0, export.Meta.GetProperty("total").GetInt32());
        var csv = await Get("startDate=2025-01-01T00:00:00Z&endDate=2025-01-02T00:00:00Z&format=csv");
        Assert.Single(ParseCsv(csv.Body));
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=2001", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("type=LLM", "type")]
    [InlineData("status=OK", "status")]
    [InlineData("startDate=2026-01-01", "startDate")]
    [InlineData("endDate=2026-01-01T00:00:00%2B02:00", "endDate")]
    [InlineData("startDate=2026-01-02T00:00:00Z&endDate=2026-01-01T00:00:00Z", "endDate")]
    [InlineData("cursor=yesterday", "cursor")]
    [InlineData("minScore=high", "minScore")]
    [InlineData("minScore=0.9&maxScore=0.1", "maxScore")]
    [InlineData("lightweight=maybe", "lightweight")]
    [InlineData("metadata_key=team", "metadata_value")]
    [InlineData("metadata_value=core", "metadata_key")]
    public async Task Bad_parameters_are_400_with_details(string query, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/traces/export?" + query), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    private async Task InsertScoreAsync(string resourceId, double score, string label = "")
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, SqliteTraceStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO scores (id, app_id, resource_id, resource_type, name, score, label, source, created_at_ms)
            VALUES ($id, 'local', $resource, 'trace', 'quality', $score, $label, 'api', 0)
            """;
        command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString());
        command.Parameters.AddWithValue("$resource", resourceId);
        command.Parameters.AddWithValue("$score", score);
        command.Parameters.AddWithValue("$label", label);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, CR/LF and doubled quotes.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; }
                    else if (text[i] == '"') { i++; break; }
                    else field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] != ',' && text[i] != '\r')
                {
                    Assert.NotEqual('"', text[i]); // a quote only ever appears inside a quoted field
                    field.Append(text[i++]);
                }
            }
            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',') { i++; continue; }
            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            records.Add([.. fields]);
            fields.Clear();
        }
        return records;
    }
}
