using System.Text.Json.Nodes;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Tests;

/// <summary>Every case of the shared TemplateDX fixtures (shared/fixtures/templatedx).</summary>
public sealed class FixtureConformanceTests
{
    // Pipelines of the reference test-suite (templates-and-evals §9): parse-only cases register
    // custom tags we do not have, the others bundle with the engine's built-in tags.
    private static readonly HashSet<string> ParseOnly = ["basic-md", "custom-plugins-parent-context", "custom-plugins-siblings-context", "functions-ERR", "raw", "replace-props"];
    // Failing at render time (SDK side): bundling succeeds, the differential test checks the render error.
    private static readonly HashSet<string> RenderErrors = ["functions-ERR"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in TestPaths.FixtureDirectories()) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void All_fixture_directories_are_present()
    {
        Assert.True(TestPaths.FixtureDirectories().Count() >= 20, $"fixtures missing under {TestPaths.Fixtures}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture(string name)
    {
        var dir = Path.Combine(TestPaths.Fixtures, name);
        var input = Path.Combine(dir, "input.mdx");
        var expectError = name.EndsWith("-ERR", StringComparison.Ordinal) && !RenderErrors.Contains(name);
        MdNode? tree = null;
        Exception? failure = null;
        try
        {
            tree = ParseOnly.Contains(name)
                ? MdxParser.Parse(File.ReadAllText(input))
                : new TemplateBundler(new ConfinedFileSource(dir), TagSet.BuiltInOnly).Bundle(input).Root;
        }
        catch (TemplateSyntaxException error) { failure = error; }

        if (expectError)
        {
            var error = Assert.IsType<TemplateSyntaxException>(failure);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            return;
        }
        Assert.Null(failure);
        Assert.NotNull(tree);
        var expected = Path.Combine(dir, "node.json");
        if (File.Exists(expected))
        {
            var want = Compile.ParseLenient(File.ReadAllText(expected));
            var got = Compile.Compressed(tree!);
            Assert.True(JsonNode.DeepEquals(want, got), $"tree differs from node.json:\nwant {want.ToJsonString()}\ngot  {got.ToJsonString()}");
        }
    }

    [Fact]
    public void Circular_imports_name_the_chain()
    {
        var dir = Path.Combine(TestPaths.Fixtures, "bundle-circular-imports-ERR");
        var error = Assert.Throws<TemplateSyntaxException>(() =>
            new TemplateBundler(new ConfinedFileSource(dir), TagSet.BuiltInOnly).Bundle(Path.Combine(dir, "input.mdx")));
        Assert.Equal("Circular import detected: input.mdx -> circular.mdx -> input.mdx", error.Message);
    }

    [Fact]
    public void Named_imports_are_refused_with_the_statement_and_its_position()
    {
        var dir = Path.Combine(TestPaths.Fixtures, "bundle-named-imports-ERR");
        var error = Assert.Throws<TemplateSyntaxException>(() =>
            new TemplateBundler(new ConfinedFileSource(dir), TagSet.BuiltInOnly).Bundle(Path.Combine(dir, "input.mdx")));
        Assert.Equal("Only default imports are supported. Invalid import in input.mdx: import { Component } from './component.mdx';", error.Message);
        Assert.Equal(1, error.Line);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void Unsupported_tags_list_the_registered_tags()
    {
        var dir = Path.Combine(TestPaths.Fixtures, "unsupported-tags-ERR");
        var error = Assert.Throws<TemplateSyntaxException>(() =>
            new TemplateBundler(new ConfinedFileSource(dir), TagSet.Language).Bundle(Path.Combine(dir, "input.mdx")));
        Assert.Equal("Unsupported tag '<CustomTag>'. Only native MDX elements, and registered tags are supported. Registered tags: Assistant, Else, ElseIf, FileAttachment, ForEach, If, ImageAttachment, Raw, System, User.", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void String_props_become_text_nodes()
    {
        var dir = Path.Combine(TestPaths.Fixtures, "bundle-jsx-variables-literals");
        var tree = new TemplateBundler(new ConfinedFileSource(dir), TagSet.BuiltInOnly).Bundle(Path.Combine(dir, "input.mdx")).Root;
        var heading = tree.Children![1];
        Assert.Equal("heading", heading.Type);
        Assert.Equal(["Hello ", "George"], heading.Children!.Select(c => c.Value!).ToArray());
        Assert.All(heading.Children!, c => Assert.Equal("text", c.Type));
    }

    [Fact]
    public void Expressions_carry_estree_and_foreach_bodies_are_arrow_functions()
    {
        var tree = MdxParser.Parse("<ForEach arr={props.items}>\n  {(item, i) => <>- {item}</>}\n</ForEach>\n");
        var forEach = tree.Children![0];
        var attribute = forEach.Attributes![0].ExpressionValue!;
        Assert.Equal("props.items", attribute.Value);
        Assert.Equal("MemberExpression", (string?)attribute.Estree!["body"]![0]!["expression"]!["type"]);
        var child = forEach.Children![0];
        Assert.Equal("mdxFlowExpression", child.Type);
        var arrow = child.Estree!["body"]![0]!["expression"]!;
        Assert.Equal("ArrowFunctionExpression", (string?)arrow["type"]);
        Assert.Equal(["item", "i"], arrow["params"]!.AsArray().Select(p => (string)p!["name"]!).ToArray());
        Assert.Equal("JSXFragment", (string?)arrow["body"]!["type"]);
        Assert.Equal(31, arrow["start"]!.GetValue<int>());
    }
}
