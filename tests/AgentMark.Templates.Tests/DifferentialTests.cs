using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Tests;

/// <summary>
/// Renders our bundled trees with the official renderer (@agentmark-ai/templatedx 0.4.2, installed
/// by differential/install.sh) and compares them with the official parser's own trees rendered the
/// same way, over every fixture and the example project's templates, for several prop sets.
/// </summary>
public sealed class DifferentialTests
{
    private static readonly JsonArray PropSets = JsonNode.Parse("""
    [
      {},
      {"name": "Ada", "name1": "Steve", "name2": "Bob", "company1": "Toyota", "company2": "HubSpot",
       "address1": {"street": "2 blueberry lane", "city": "boston"}, "address2": {"street": "1 blueberry lane", "city": "nyc"},
       "arr": [1, 2, 3], "nestedArr": [{"num": 1, "deep": {"name": "a"}}, {"num": 2, "deep": {"name": "b"}}],
       "messageHistory": [{"role": "user", "message": "What's 2 + 2?"}, {"role": "assistant", "message": "5"}],
       "num4": 4, "num5": 5, "num3": 3, "a": true, "b": false, "msg": "hi", "bleh": "x", "flag": true,
       "subject": "Charged twice", "body": "Billed two times.", "plan": "enterprise", "customer": "Dana", "escalated": true,
       "history": [{"role": "customer", "text": "Export fails"}, {"role": "agent", "text": "Which browser?"}]},
      {"arr": [], "nestedArr": [], "messageHistory": [], "history": [], "plan": "pro", "escalated": false, "a": false, "b": true, "num4": 1, "num5": -2, "num3": 0.5}
    ]
    """)!.AsArray();

    private static readonly string[] BuiltIns = ["ForEach", "If", "ElseIf", "Else", "Raw"];

    [Fact]
    public void Our_trees_render_like_the_official_parsers_trees()
    {
        var modules = Path.Combine(TestPaths.Differential, "node_modules", "@agentmark-ai", "templatedx");
        Assert.True(Directory.Exists(modules),
            $"The differential oracle is not installed: run {Path.Combine(TestPaths.Differential, "install.sh")} (npm ci).");

        var cases = new JsonArray();
        foreach (var dir in TestPaths.FixtureDirectories())
        {
            var name = Path.GetFileName(dir);
            // Custom plugin fixtures need tags only the reference test-suite registers.
            if (name.StartsWith("custom-plugins", StringComparison.Ordinal)) continue;
            cases.Add(Case(name, Path.Combine(dir, "input.mdx"), dir, TagSet.BuiltInOnly, BuiltIns));
        }
        var root = Path.Combine(TestPaths.Example, "agentmark");
        foreach (var file in Directory.GetFiles(root, "*.prompt.mdx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            cases.Add(Case("example:" + Path.GetRelativePath(root, file), file, root, TagSet.Language, TagSet.Language.SortedNames.ToArray()));

        var output = RunNode(new JsonObject { ["cases"] = cases }.ToJsonString());
        var results = JsonNode.Parse(output)!["results"]!.AsArray();
        Assert.Equal(cases.Count * PropSets.Count, results.Count);
        // Not vacuous: most renders succeed on both sides.
        Assert.True(results.Count(r => r!["official"] is not null) >= cases.Count * 2, "too few successful official renders");
        var failures = new List<string>();
        foreach (var result in results)
        {
            var official = (string?)result!["official"];
            var ours = (string?)result["ours"];
            var officialFailed = result["officialError"] is not null;
            var oursFailed = result["oursError"] is not null;
            if (officialFailed != oursFailed || official != ours)
                failures.Add($"{result["id"]} props#{result["prop"]}:\n--- official ({result["officialError"]}):\n{official}\n--- ours ({result["oursError"]}):\n{ours}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} differences:\n" + string.Join("\n\n", failures));
    }

    private static JsonObject Case(string id, string file, string root, TagSet tags, string[] tagNames)
    {
        JsonNode? ours = null;
        string? error = null;
        try
        {
            var tree = new TemplateBundler(new ConfinedFileSource(root), tags).Bundle(file).Root;
            // The frontmatter is compared elsewhere: our $ref resolution ([X]) rewrites it on purpose.
            tree.Children!.RemoveAll(n => n.Type == NodeTypes.Yaml);
            ours = JsonNode.Parse(MdastJson.ToJson(tree));
        }
        catch (TemplateSyntaxException e) { error = e.Message; }
        return new JsonObject
        {
            ["id"] = id, ["file"] = file, ["tags"] = new JsonArray(tagNames.Select(t => (JsonNode)t).ToArray()),
            ["ours"] = ours, ["oursError"] = error, ["props"] = PropSets.DeepClone(), ["dropYaml"] = true,
        };
    }

    private static string RunNode(string input)
    {
        var inputFile = Path.Combine(Path.GetTempPath(), $"amt-differential-{Guid.NewGuid():N}.json");
        File.WriteAllText(inputFile, input);
        var start = new ProcessStartInfo("node", [Path.Combine(TestPaths.Differential, "render.mjs"), inputFile])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = TestPaths.Differential,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "node did not finish in 2 minutes");
        File.Delete(inputFile);
        Assert.True(process.ExitCode == 0, $"node failed: {stderr.Result}");
        return stdout.Result;
    }
}
