using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Templates;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Tests;

internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot(SourceFile());

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    public static string Fixtures => Path.Combine(RepoRoot, "..", "shared", "fixtures", "templatedx");
    public static string Example => Path.Combine(RepoRoot, "examples", "quickstart");
    public static string Differential => Path.Combine(RepoRoot, "tests", "AgentMark.Templates.Tests", "differential");

    private static string FindRepoRoot(string sourceFile)
    {
        // Builds may put binaries anywhere (--artifacts-path); the sources sit in the repository.
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile)!, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "AgentMark.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (AgentMark.slnx) not found");
    }

    public static IEnumerable<string> FixtureDirectories() =>
        Directory.GetDirectories(Fixtures).OrderBy(d => d, StringComparer.Ordinal);
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "amt-" + Guid.NewGuid().ToString("N"));

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal static class Compile
{
    /// <summary>Bundles <paramref name="source"/> as <c>main.prompt.mdx</c> next to <paramref name="components"/>.</summary>
    public static MdNode Source(string source, params (string Path, string Content)[] components)
    {
        using var dir = new TempDir();
        foreach (var (path, content) in components) dir.Write(path, content);
        var main = dir.Write("main.prompt.mdx", source);
        return new TemplateCompiler(new ConfinedFileSource(dir.Path)).Compile(main, "text").Root;
    }

    /// <summary>The tree as JSON without positions and ESTree (the compressed form the fixtures use).</summary>
    public static JsonNode Compressed(MdNode node)
    {
        var json = JsonNode.Parse(MdastJson.ToJson(node, positions: false))!;
        Strip(json);
        return json;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in new[] { "position", "data", "start", "end", "loc", "range" }) obj.Remove(key);
                foreach (var (_, child) in obj.ToList()) Strip(child);
                break;
            case JsonArray array:
                foreach (var item in array) Strip(item);
                break;
        }
    }

    public static JsonNode ParseLenient(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip })!;
}
