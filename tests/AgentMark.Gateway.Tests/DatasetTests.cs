using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentMark.Gateway.Tests;

/// <summary>/v1/datasets over HTTP against the real server and a temporary project folder.</summary>
public sealed partial class DatasetTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private string Root => Path.Combine(_server.ProjectDir, "agentmark");

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        Write("evals/sentiment.jsonl", "{\"input\":{\"text\":\"a\"}}\n   \n{\"input\":{\"text\":\"b\"},\"expected_output\":\"B\"}\n");
        Write("B.jsonl", "{\"input\":1}\n");
        Write("a.jsonl", "");
        Write("node_modules/pkg/hidden.jsonl", "{\"input\":1}\n");
        Write(".drafts/hidden.jsonl", "{\"input\":1}\n");
        Write("notes.txt", "not a dataset");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private void Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await _server.Client.GetAsync(path));

    private Task<HttpResponseMessage> Post(string path, string json, string contentType = "application/json") =>
        _server.PostAsync(path, Encoding.UTF8.GetBytes(json), contentType);

    private async Task<JsonElement> Listed(string name) =>
        (await Get("/v1/datasets")).GetProperty("data").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);

    [Fact]
    public async Task The_list_has_the_contract_shape_and_order()
    {
        var body = await Get("/v1/datasets");
        var data = body.GetProperty("data").EnumerateArray().ToList();
        // Root collation (localeCompare): case-insensitive first; dot-folders and node_modules skipped.
        Assert.Equal(["a.jsonl", "B.jsonl", "evals/sentiment.jsonl"], data.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal([0L, 1L, 2L], data.Select(d => d.GetProperty("row_count").GetInt64()));
        foreach (var item in data)
        {
            Assert.Matches(IsoMillis(), item.GetProperty("created_at").GetString());
            Assert.Equal(["created_at", "name", "row_count"], item.EnumerateObject().Select(p => p.Name).Order());
        }
        var pagination = body.GetProperty("pagination");
        Assert.Equal((3, 50, 0), (pagination.GetProperty("total").GetInt32(), pagination.GetProperty("limit").GetInt32(), pagination.GetProperty("offset").GetInt32()));
    }

    [Fact]
    public async Task Name_is_an_exact_leaf_match_and_paging_counts_the_filtered_total()
    {
        Assert.Equal(["evals/sentiment.jsonl"], (await Get("/v1/datasets?name=sentiment")).GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Empty((await Get("/v1/datasets?name=Sentiment")).GetProperty("data").EnumerateArray());
        Assert.Empty((await Get("/v1/datasets?name=senti")).GetProperty("data").EnumerateArray());
        var page = await Get("/v1/datasets?limit=1&offset=1");
        Assert.Equal(["B.jsonl"], page.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(3, page.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?limit=2.5", "limit")]
    [InlineData("?name=a&name=b", "name")]
    public async Task Bad_list_parameters_are_400(string query, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/datasets" + query), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_row_is_appended_canonically_and_a_missing_dataset_is_created()
    {
        var first = await ApiAssert.Ok(await Post("/v1/datasets/evals%2Fnew%2Fset/rows", """{"input":{"text":"Great! café"},"expected_output":"positive"}"""), HttpStatusCode.Created);
        Assert.Equal(0, first.GetProperty("data").GetProperty("line_number").GetInt64());
        var second = await ApiAssert.Ok(await Post("/v1/datasets/evals%2Fnew%2Fset/rows", """{"input":[1,2.50],"metadata":{"by":"<me>"}}"""), HttpStatusCode.Created);
        Assert.Equal(1, second.GetProperty("data").GetProperty("line_number").GetInt64());
        var empty = await ApiAssert.Ok(await Post("/v1/datasets/evals%2Fnew%2Fset/rows", "{}"), HttpStatusCode.Created);
        Assert.Equal(2, empty.GetProperty("data").GetProperty("line_number").GetInt64());

        Assert.Equal(
            "{\"input\":{\"text\":\"Great! café\"},\"expected_output\":\"positive\",\"metadata\":{}}\n" +
            "{\"input\":[1,2.50],\"expected_output\":null,\"metadata\":{\"by\":\"<me>\"}}\n" +
            "{\"expected_output\":null,\"metadata\":{}}\n",
            Read("evals/new/set.jsonl"));
        Assert.Equal(3, (await Listed("evals/new/set.jsonl")).GetProperty("row_count").GetInt64());
        // The templates endpoint serves what was appended.
        var served = await Get("/v1/templates?path=evals/new/set.jsonl");
        Assert.Equal(3, served.GetArrayLength());
    }

    [Fact]
    public async Task Line_numbers_count_existing_non_blank_lines()
    {
        var appended = await ApiAssert.Ok(await Post("/v1/datasets/evals%2Fsentiment/rows", """{"input":{"text":"c"}}"""), HttpStatusCode.Created);
        Assert.Equal(2, appended.GetProperty("data").GetProperty("line_number").GetInt64());
        Assert.Equal(3, (await Listed("evals/sentiment.jsonl")).GetProperty("row_count").GetInt64());
    }

    [Fact]
    public async Task A_file_edited_by_hand_is_picked_up()
    {
        Assert.Equal(1, (await Listed("B.jsonl")).GetProperty("row_count").GetInt64());
        File.AppendAllText(Path.Combine(Root, "B.jsonl"), "{\"input\":2}\n{\"input\":3}\n");
        Assert.Equal(3, (await Listed("B.jsonl")).GetProperty("row_count").GetInt64());
        var appended = await ApiAssert.Ok(await Post("/v1/datasets/B/rows", """{"input":4}"""), HttpStatusCode.Created);
        Assert.Equal(3, appended.GetProperty("data").GetProperty("line_number").GetInt64());
        File.WriteAllText(Path.Combine(Root, "B.jsonl"), "{\"input\":9}\n");
        Assert.Equal(1, (await Listed("B.jsonl")).GetProperty("row_count").GetInt64());
        var again = await ApiAssert.Ok(await Post("/v1/datasets/B/rows", """{"input":5}"""), HttpStatusCode.Created);
        Assert.Equal(1, again.GetProperty("data").GetProperty("line_number").GetInt64());
        var added = Path.Combine(Root, "later", "added.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(added)!);
        File.WriteAllText(added, "{\"input\":1}");
        Assert.Equal(1, (await Listed("later/added.jsonl")).GetProperty("row_count").GetInt64());
    }

    [Fact]
    public async Task A_torn_last_line_is_counted_but_never_merged_into()
    {
        Write("torn.jsonl", "{\"input\":1}\n{\"input\":{\"te");
        Assert.Equal(2, (await Listed("torn.jsonl")).GetProperty("row_count").GetInt64());
        var appended = await ApiAssert.Ok(await Post("/v1/datasets/torn/rows", """{"input":2}"""), HttpStatusCode.Created);
        Assert.Equal(2, appended.GetProperty("data").GetProperty("line_number").GetInt64());
        var lines = Read("torn.jsonl").Split('\n');
        Assert.Equal(["{\"input\":1}", "{\"input\":{\"te", "{\"input\":2,\"expected_output\":null,\"metadata\":{}}", ""], lines);
        Assert.Equal(3, (await Listed("torn.jsonl")).GetProperty("row_count").GetInt64());

        // A hand-written file whose last row has no newline is completed, not glued to.
        Write("no-newline.jsonl", "{\"input\":1}");
        await ApiAssert.Ok(await Post("/v1/datasets/no-newline/rows", """{"input":2}"""), HttpStatusCode.Created);
        Assert.Equal("{\"input\":1}\n{\"input\":2,\"expected_output\":null,\"metadata\":{}}\n", Read("no-newline.jsonl"));
    }

    [Fact]
    public async Task Concurrent_appends_are_whole_lines_with_distinct_numbers()
    {
        const int count = 50;
        var responses = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            Post("/v1/datasets/busy%2Fset/rows", $$$"""{"input":{"i":{{{i}}},"pad":"{{{new string('x', 5000 + i)}}}"}}""")));
        var numbers = new List<long>();
        foreach (var response in responses)
            numbers.Add((await ApiAssert.Ok(response, HttpStatusCode.Created)).GetProperty("data").GetProperty("line_number").GetInt64());
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), numbers.Order());

        var lines = Read("busy/set.jsonl").Split('\n');
        Assert.Equal(count + 1, lines.Length);
        Assert.Equal("", lines[^1]);
        var seen = new HashSet<int>();
        foreach (var line in lines[..^1])
        {
            using var row = JsonDocument.Parse(line);
            var i = row.RootElement.GetProperty("input").GetProperty("i").GetInt32();
            Assert.Equal(5000 + i, row.RootElement.GetProperty("input").GetProperty("pad").GetString()!.Length);
            Assert.True(seen.Add(i));
        }
        Assert.Equal(count, (await Listed("busy/set.jsonl")).GetProperty("row_count").GetInt64());
    }

    [Fact]
    public async Task Two_gateways_appending_to_one_file_never_split_or_overwrite_rows()
    {
        // A second server in this process shares neither the in-process semaphore nor (POSIX record
        // locks being per process) the file lock: only append mode keeps the rows whole.
        await using var second = await GatewayServer.StartAsync("--project-dir", _server.ProjectDir);
        var posts = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? _server : second).PostAsync("/v1/datasets/shared/rows",
            Encoding.UTF8.GetBytes($$$"""{"input":{"i":{{{i}}},"pad":"{{{new string('y', 20_000)}}}"}}"""), "application/json"));
        foreach (var response in await Task.WhenAll(posts)) await ApiAssert.Ok(response, HttpStatusCode.Created);
        var rows = Read("shared.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => { using var row = JsonDocument.Parse(line); return row.RootElement.GetProperty("input").GetProperty("i").GetInt32(); });
        Assert.Equal(Enumerable.Range(0, 40), rows.Order());
    }

    [Theory]
    [InlineData("..%2Fescape")]
    [InlineData("a..b")]
    [InlineData("evals%2F..%2F..%2Fetc")]
    [InlineData("%2Fabsolute")]
    [InlineData("with%20space")]
    [InlineData("back%5Cslash")]
    [InlineData("C:%2Fwin")]
    [InlineData("ends%2F")]
    [InlineData("double%252Fencoded")]
    [InlineData("caf%C3%A9")]
    public async Task Malformed_dataset_names_are_invalid_path_params(string name)
    {
        foreach (var suffix in new[] { "/rows", "/rows/from-traces", "/rows/from-spans" })
        {
            var error = await ApiAssert.Error(await Post($"/v1/datasets/{name}{suffix}", """{"input":1,"trace_ids":["x"],"span_ids":["x"]}"""),
                HttpStatusCode.BadRequest, "invalid_path_params");
            Assert.Equal("Invalid dataset name", error.GetProperty("details").GetProperty("datasetName").GetString());
        }
        Assert.DoesNotContain(Directory.EnumerateFiles(_server.ProjectDir, "*", SearchOption.AllDirectories), f => f.Contains("escape") || f.Contains("win"));
    }

    [Fact]
    public async Task A_folder_linked_outside_the_project_is_forbidden()
    {
        var outside = Path.Combine(Path.GetDirectoryName(_server.ProjectDir)!, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(Root, "linked"), outside);
        var error = await ApiAssert.Error(await Post("/v1/datasets/linked%2Fescape/rows", """{"input":1}"""), HttpStatusCode.Forbidden, "forbidden");
        Assert.False(File.Exists(Path.Combine(outside, "escape.jsonl")), error.ToString());
        Assert.DoesNotContain((await Get("/v1/datasets")).GetProperty("data").EnumerateArray(), d => d.GetProperty("name").GetString()!.StartsWith("linked"));
    }

    [Theory]
    [InlineData("""{"input":1,"extra":2}""", "_")]
    [InlineData("""{"input":1,"metadata":null}""", "metadata")]
    [InlineData("""{"input":1,"metadata":[1]}""", "metadata")]
    [InlineData("""[{"input":1}]""", "_")]
    [InlineData("""{"input":1""", "_")]
    [InlineData("""{"input":1} trailing""", "_")]
    [InlineData("", "_")]
    public async Task Bad_row_bodies_are_400_and_write_nothing(string body, string field)
    {
        var error = await ApiAssert.Error(await Post("/v1/datasets/evals%2Fsentiment/rows", body), HttpStatusCode.BadRequest, "invalid_request_body");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
        Assert.Equal(2, (await Listed("evals/sentiment.jsonl")).GetProperty("row_count").GetInt64());
    }

    [Fact]
    public async Task A_non_json_content_type_and_bad_gzip_are_refused()
    {
        await ApiAssert.Error(await Post("/v1/datasets/x/rows", "input=1", "application/x-www-form-urlencoded"), HttpStatusCode.BadRequest, "invalid_request_body");
        await ApiAssert.Error(await _server.PostAsync("/v1/datasets/x/rows", [1, 2, 3], "application/json", "gzip"), HttpStatusCode.BadRequest, "invalid_request_body");
        await ApiAssert.Error(await _server.PostAsync("/v1/datasets/x/rows", [1, 2, 3], "application/json", "br"), HttpStatusCode.UnsupportedMediaType, "unsupported_content_encoding");
        var gzipped = await _server.PostAsync("/v1/datasets/x/rows", Otlp.Gzip(Encoding.UTF8.GetBytes("""{"input":"z"}""")), "application/json", "gzip");
        await ApiAssert.Ok(gzipped, HttpStatusCode.Created);
        Assert.False(File.Exists(Path.Combine(Root, "x.jsonl")) && Read("x.jsonl").Contains("input=1"));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex IsoMillis();
}
