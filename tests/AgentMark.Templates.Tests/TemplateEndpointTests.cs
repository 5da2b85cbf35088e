using System.Net;
using System.Text.Json.Nodes;
using AgentMark.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AgentMark.Templates.Tests;

/// <summary>/v1/templates, /v1/prompts and /v1/config over HTTP against the real server.</summary>
public sealed class TemplateEndpointTests : IAsyncLifetime
{
    private readonly TempDir _project = new();
    private readonly TempDir _data = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _project.Write("agentmark.json", """{"version":"2.0.0","agentmarkPath":".","custom":{"kept":true}}""");
        _project.Write("agentmark/qa/answer.prompt.mdx", "---\nname: answer\ntext_config:\n  model_name: openai/gpt-4o\n---\n\n<User>\nHi {props.name}!\n</User>\n");
        _project.Write("agentmark/qa/other/answer.prompt.mdx", "---\nname: answer\ntext_config:\n  model_name: openai/gpt-4o\n---\n\n<User>Other</User>\n");
        _project.Write("agentmark/image.prompt.mdx", "---\nname: picture\nimage_config:\n  model_name: openai/dall-e-3\n---\n\n<ImagePrompt>A cat</ImagePrompt>\n");
        _project.Write("agentmark/broken.prompt.mdx", "---\nname: broken\n---\n\n<User>Hello\n\nworld</User>\n");
        _project.Write("agentmark/node_modules/x.prompt.mdx", "---\nname: hidden\n---\n");
        _project.Write("agentmark/.drafts/y.prompt.mdx", "---\nname: hidden\n---\n");
        _project.Write("agentmark/schemas/ticket.json", """{"type":"object","properties":{"id":{"type":"string"}}}""");
        _project.Write("agentmark/ticket.prompt.mdx", "---\nname: ticket\nobject_config:\n  model_name: openai/gpt-4o\n  schema:\n    $ref: ./schemas/ticket.json\n---\n\n<User>x</User>\n");
        _project.Write("agentmark/datasets/qa.jsonl", "{\"input\":{\"q\":\"a\"}}\n   \n{\"input\":{\"q\":\"b\"},\"expected_output\":\"B\"}\n");
        _project.Write("agentmark/datasets/bad.jsonl", "{\"input\":1}\nnot json\n");
        _project.Write("outside.mdx", "secret");
        _app = GatewayApp.Create(["--port", "0", "--data-dir", _data.Path, "--project-dir", _project.Path]);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.BoundAddress()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _project.Dispose();
        _data.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text, string? ContentType)> Get(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try { body = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        return (response.StatusCode, body, text, response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Prompt_is_served_as_data_tree()
    {
        var (status, body, _, _) = await Get("/v1/templates?path=qa/answer.prompt.mdx&promptKind=text");
        Assert.Equal(HttpStatusCode.OK, status);
        var root = body!["data"]!;
        Assert.Equal("root", (string?)root["type"]);
        Assert.Equal("yaml", (string?)root["children"]![0]!["type"]);
        var user = root["children"]![1]!;
        Assert.Equal("mdxJsxFlowElement", (string?)user["type"]);
        Assert.Equal("User", (string?)user["name"]);
        var expression = user["children"]![0]!["children"]![1]!;
        Assert.Equal("props.name", (string?)expression["value"]);
        Assert.Equal("Program", (string?)expression["data"]!["estree"]!["type"]);
        Assert.NotNull(root["position"]);
    }

    [Theory]
    [InlineData("/v1/templates/qa/answer.prompt.mdx")]
    [InlineData("/v1/templates/qa%2Fanswer.prompt.mdx")]
    [InlineData("/v1/templates?path=./qa/answer.prompt.mdx&promptKind=undefined")]
    public async Task Path_forms_are_equivalent(string url)
    {
        var (status, body, _, _) = await Get(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("root", (string?)body!["data"]!["type"]);
    }

    [Fact]
    public async Task Image_prompts_detect_their_kind_without_promptKind()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/v1/templates?path=image.prompt.mdx")).Status);
        var (status, body, _, _) = await Get("/v1/templates?path=image.prompt.mdx&promptKind=text");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unsupported tag '<ImagePrompt>'", (string?)body!["error"]!["message"]);
    }

    [Fact]
    public async Task Schema_refs_are_resolved_in_the_frontmatter()
    {
        var (status, body, _, _) = await Get("/v1/templates?path=ticket.prompt.mdx");
        Assert.Equal(HttpStatusCode.OK, status);
        var yaml = (string)body!["data"]!["children"]![0]!["value"]!;
        Assert.DoesNotContain("$ref", yaml);
        Assert.Contains("\"id\":{\"type\":\"string\"}", yaml);
    }

    [Fact]
    public async Task Broken_template_is_a_400_template_parse_error_with_position()
    {
        var (status, body, _, _) = await Get("/v1/templates?path=broken.prompt.mdx");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body!["error"]!;
        Assert.Equal("template_parse_error", (string?)error["code"]);
        Assert.StartsWith("Failed to parse template: ", (string?)error["message"]);
        Assert.Contains("closing tag", (string?)error["message"]);
        Assert.Equal("5", (string?)error["details"]!["line"]);
    }

    [Theory]
    [InlineData("/v1/templates?path=missing.prompt.mdx", HttpStatusCode.NotFound, "not_found", "File not found")]
    [InlineData("/v1/templates?path=datasets/missing.jsonl", HttpStatusCode.NotFound, "not_found", "Dataset not found")]
    [InlineData("/v1/templates", HttpStatusCode.BadRequest, "invalid_query_params", "Path query parameter must be a single string value")]
    [InlineData("/v1/templates?path=a.mdx&path=b.mdx", HttpStatusCode.BadRequest, "invalid_query_params", "Path query parameter must be a single string value")]
    [InlineData("/v1/templates?path=../outside.mdx", HttpStatusCode.BadRequest, "invalid_query_params", "Invalid path: path traversal detected")]
    [InlineData("/v1/templates?path=qa/../../outside.mdx", HttpStatusCode.BadRequest, "invalid_query_params", "Invalid path: path traversal detected")]
    [InlineData("/v1/templates?path=..%5Coutside.mdx", HttpStatusCode.BadRequest, "invalid_query_params", "Invalid path: path traversal detected")]
    [InlineData("/v1/templates?path=%2Fetc%2Fpasswd", HttpStatusCode.BadRequest, "invalid_query_params", "Absolute paths are not allowed")]
    [InlineData("/v1/templates?path=C:%5Cwindows.mdx", HttpStatusCode.BadRequest, "invalid_query_params", "Absolute paths are not allowed")]
    [InlineData("/v1/templates?path=a%00.mdx", HttpStatusCode.BadRequest, "invalid_query_params", "Invalid path")]
    [InlineData("/v1/templates?path=schemas/ticket.json", HttpStatusCode.BadRequest, "invalid_query_params", "Templates must have a .mdx or .jsonl extension")]
    [InlineData("/v1/templates/..%2F..%2Fetc%2Fpasswd", HttpStatusCode.BadRequest, "invalid_query_params", "Invalid path: path traversal detected")]
    [InlineData("/v1/templates?path=datasets/bad.jsonl", HttpStatusCode.InternalServerError, "internal_error", "Failed to read dataset")]
    public async Task Errors_use_the_canonical_envelope(string url, HttpStatusCode expectedStatus, string code, string message)
    {
        var (status, body, _, _) = await Get(url);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(code, (string?)body!["error"]!["code"]);
        Assert.Equal(message, (string?)body["error"]!["message"]);
    }

    [Fact]
    public async Task Symlink_out_of_the_root_is_forbidden()
    {
        var link = Path.Combine(_project.Path, "agentmark", "escape.mdx");
        File.CreateSymbolicLink(link, Path.Combine(_project.Path, "outside.mdx"));
        var (status, body, _, _) = await Get("/v1/templates?path=escape.mdx");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", (string?)body!["error"]!["code"]);
        Assert.Equal("Access denied: path outside allowed directory", (string?)body["error"]!["message"]);
    }

    [Fact]
    public async Task Datasets_are_a_bare_array_or_ndjson()
    {
        var (status, body, _, type) = await Get("/v1/templates?path=./datasets/qa.jsonl");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/json", type);
        var rows = body!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal("B", (string?)rows[1]!["expected_output"]);

        var ndjson = await Get("/v1/templates?path=datasets/qa.jsonl", "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, ndjson.Status);
        Assert.Equal("application/x-ndjson; charset=utf-8", ndjson.ContentType);
        Assert.Equal(File.ReadAllText(Path.Combine(_project.Path, "agentmark", "datasets", "qa.jsonl")), ndjson.Text);

        var forced = await Get("/v1/templates?path=datasets/qa.jsonl&format=json", "application/x-ndjson");
        Assert.StartsWith("application/json", forced.ContentType);
        Assert.Equal(2, forced.Body!.AsArray().Count);
    }

    [Fact]
    public async Task An_edit_shows_up_on_the_next_request()
    {
        var first = await Get("/v1/templates?path=qa/answer.prompt.mdx");
        Assert.Contains("Hi ", first.Text);
        var file = Path.Combine(_project.Path, "agentmark", "qa", "answer.prompt.mdx");
        File.WriteAllText(file, "---\nname: answer\n---\n\n<User>\nBonjour {props.name}, edited!\n</User>\n");
        var second = await Get("/v1/templates?path=qa/answer.prompt.mdx");
        Assert.Contains("Bonjour ", second.Text);
        Assert.DoesNotContain("\"Hi \"", second.Text);
    }

    [Fact]
    public async Task A_component_edit_invalidates_the_prompts_that_import_it()
    {
        _project.Write("agentmark/components/sig.mdx", "Regards, v1");
        _project.Write("agentmark/mail.prompt.mdx", "import Sig from './components/sig.mdx';\n\n<User>\n<Sig />\n</User>\n");
        Assert.Contains("Regards, v1", (await Get("/v1/templates?path=mail.prompt.mdx")).Text);
        _project.Write("agentmark/components/sig.mdx", "Regards, version two");
        Assert.Contains("Regards, version two", (await Get("/v1/templates?path=mail.prompt.mdx")).Text);
    }

    [Fact]
    public async Task Prompts_are_listed_and_found_by_name()
    {
        var (status, body, _, _) = await Get("/v1/prompts");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = body!["data"]!["paths"]!.AsArray().Select(p => (string)p!).ToArray();
        Assert.Equal(paths.Order(StringComparer.Ordinal).ToArray(), paths);
        Assert.Contains("qa/answer.prompt.mdx", paths);
        Assert.DoesNotContain(paths, p => p.Contains("node_modules") || p.Contains(".drafts"));

        var byName = await Get("/v1/prompts?name=answer");
        Assert.Equal(["qa/answer.prompt.mdx", "qa/other/answer.prompt.mdx"], byName.Body!["data"]!["paths"]!.AsArray().Select(p => (string)p!).ToArray());
        Assert.Empty((await Get("/v1/prompts?name=nope")).Body!["data"]!["paths"]!.AsArray());
        var empty = await Get("/v1/prompts?name=");
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.NotNull(empty.Body!["error"]!["details"]!["name"]);
    }

    [Fact]
    public async Task Config_outside_git_has_a_null_commit()
    {
        var (status, body, _, _) = await Get("/v1/config");
        Assert.Equal(HttpStatusCode.OK, status);
        var data = body!["data"]!.AsObject();
        Assert.True(data.ContainsKey("commit_sha"));
        Assert.Null(data["commit_sha"]);
        Assert.True((bool)data["config"]!["custom"]!["kept"]!);
    }

    [Fact]
    public async Task Commit_is_stamped_when_the_project_is_a_git_repository()
    {
        const string sha = "0123456789012345678901234567890123456789";
        _project.Write(".git/HEAD", "ref: refs/heads/main\n");
        _project.Write(".git/refs/heads/main", sha + "\n");
        var config = await Get("/v1/config");
        Assert.Equal(sha, (string?)config.Body!["data"]!["commit_sha"]);
        var prompt = await Get("/v1/templates?path=qa/answer.prompt.mdx");
        var yaml = (string)prompt.Body!["data"]!["children"]![0]!["value"]!;
        Assert.EndsWith($"agentmark_meta:\n  commit_sha: \"{sha}\"", yaml);
    }

    [Fact]
    public async Task Missing_config_is_config_not_found()
    {
        File.Delete(Path.Combine(_project.Path, "agentmark.json"));
        var (status, body, _, _) = await Get("/v1/config");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("config_not_found", (string?)body!["error"]!["code"]);
    }
}
