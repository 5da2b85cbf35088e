using System.Net;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>Score configs from the project's agentmark.json (wire-contract §11.9–§11.10, templates-and-evals §8).</summary>
public sealed class ScoreConfigTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync("--AgentMark:Apps:0=app-a");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string ConfigPath => Path.Combine(_server.ProjectDir, "agentmark.json");

    private async Task<JsonElement> Get(string path, string? app = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (app is not null) request.Headers.Add("X-Agentmark-App-Id", app);
        return await ApiAssert.Ok(await _server.Client.SendAsync(request));
    }

    private static string[] Names(JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();

    private const string Example = """
        {
          "version": "2.0.0",
          "agentmarkPath": ".",
          "scores": {
            "tone": { "type": "categorical", "description": "Response tone",
                      "categories": [ { "label": "professional", "value": 1 }, { "label": "", "value": 0.5 },
                                      { "label": "casual", "value": 0.5 }, { "label": "loud", "value": "1" }, "junk" ] },
            "accuracy": { "type": "boolean", "description": "Was the response factually correct?" },
            "helpfulness": { "type": "numeric", "min": 1, "max": 5, "description": 7 },
            "Zeta": { "type": "numeric", "min": "1" },
            "empty_categories": { "type": "categorical", "categories": [] },
            "no_valid_category": { "type": "categorical", "categories": [ { "label": 1, "value": 1 } ] },
            "unknown_type": { "type": "percent" },
            "no_type": { "description": "?" },
            "not_an_object": "boolean"
          }
        }
        """;

    [Fact]
    public async Task Configs_are_projected_skipped_and_sorted()
    {
        await File.WriteAllTextAsync(ConfigPath, Example);
        var list = await Get("/v1/score-configs");
        Assert.Equal(["accuracy", "helpfulness", "tone", "Zeta"], Names(list));
        Assert.Equal(4, list.GetProperty("pagination").GetProperty("total").GetInt64());
        var configs = list.GetProperty("data").EnumerateArray().ToList();

        Assert.Equal("""{"id":"local:accuracy","name":"accuracy","description":"Was the response factually correct?","commit_sha":"","data_type":"boolean"}""", configs[0].GetRawText());
        Assert.Equal("""{"id":"local:helpfulness","name":"helpfulness","commit_sha":"","data_type":"numeric","min":1,"max":5}""", configs[1].GetRawText());
        Assert.Equal("""{"id":"local:tone","name":"tone","description":"Response tone","commit_sha":"","data_type":"categorical","categories":[{"label":"professional","value":1},{"label":"casual","value":0.5}]}""",
            configs[2].GetRawText());
        Assert.Equal("""{"id":"local:Zeta","name":"Zeta","commit_sha":"","data_type":"numeric"}""", configs[3].GetRawText());
    }

    [Fact]
    public async Task The_list_pages_and_validates()
    {
        await File.WriteAllTextAsync(ConfigPath, Example);
        var page = await Get("/v1/score-configs?limit=2&offset=1");
        Assert.Equal(["helpfulness", "tone"], Names(page));
        Assert.Equal((4, 2, 1), (page.GetProperty("pagination").GetProperty("total").GetInt64(), page.GetProperty("pagination").GetProperty("limit").GetInt32(), page.GetProperty("pagination").GetProperty("offset").GetInt32()));
        Assert.Empty(Names(await Get("/v1/score-configs?offset=10")));
        foreach (var query in new[] { "limit=0", "limit=1001", "offset=-1", "limit=abc" })
            await ApiAssert.Error(await _server.Client.GetAsync("/v1/score-configs?" + query), HttpStatusCode.BadRequest, "invalid_query_params");
    }

    [Fact]
    public async Task Detail_is_an_exact_match_or_score_config_not_found()
    {
        await File.WriteAllTextAsync(ConfigPath, Example);
        var tone = (await Get("/v1/score-configs/tone")).GetProperty("data");
        Assert.Equal("categorical", tone.GetProperty("data_type").GetString());
        Assert.Equal(2, tone.GetProperty("categories").GetArrayLength());
        Assert.Equal("app-a:accuracy", (await Get("/v1/score-configs/accuracy", "app-a")).GetProperty("data").GetProperty("id").GetString());

        foreach (var name in new[] { "Tone", "unknown_type", "not_an_object", "nope%20here" })
        {
            var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/score-configs/" + name), HttpStatusCode.NotFound, "score_config_not_found");
            Assert.Equal($"Score config '{Uri.UnescapeDataString(name)}' not found", error.GetProperty("message").GetString());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{ not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"version":"2.0.0"}""")]
    [InlineData("""{"scores":["accuracy"]}""")]
    public async Task No_usable_scores_map_is_an_empty_list_not_an_error(string? content)
    {
        if (content is not null) await File.WriteAllTextAsync(ConfigPath, content);
        var list = await Get("/v1/score-configs");
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal(0, list.GetProperty("pagination").GetProperty("total").GetInt64());
        await ApiAssert.Error(await _server.Client.GetAsync("/v1/score-configs/accuracy"), HttpStatusCode.NotFound, "score_config_not_found");
    }

    [Fact]
    public async Task Edits_to_agentmark_json_are_picked_up_and_the_commit_is_reported()
    {
        await File.WriteAllTextAsync(ConfigPath, """{"scores":{"a":{"type":"boolean"}}}""");
        Assert.Equal(["a"], Names(await Get("/v1/score-configs")));

        // A git checkout in the project: commit_sha is HEAD's commit id.
        var sha = new string('3', 40);
        Directory.CreateDirectory(Path.Combine(_server.ProjectDir, ".git"));
        await File.WriteAllTextAsync(Path.Combine(_server.ProjectDir, ".git", "HEAD"), sha + "\n");
        await File.WriteAllTextAsync(ConfigPath, """{"scores":{"b":{"type":"numeric","max":10},"a":{"type":"boolean"}}}""");
        File.SetLastWriteTimeUtc(ConfigPath, DateTime.UtcNow.AddSeconds(5));
        var list = await Get("/v1/score-configs");
        Assert.Equal(["a", "b"], Names(list));
        Assert.All(list.GetProperty("data").EnumerateArray(), c => Assert.Equal(sha, c.GetProperty("commit_sha").GetString()));
        Assert.Equal(10, (await Get("/v1/score-configs/b")).GetProperty("data").GetProperty("max").GetDouble());
    }
}
