using System.Diagnostics;
using System.Text;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Tests;

/// <summary>Timing assertions run alone: the machine's two cores are otherwise shared with the HTTP and node tests.</summary>
[CollectionDefinition("timing", DisableParallelization = true)]
public sealed class TimingCollection;

/// <summary>Broken templates: each fails with a clear, positioned error, fast, and never crashes.</summary>
[Collection("timing")]
public sealed class MalformedTemplateTests
{
    private static readonly string Deep = string.Concat(Enumerable.Repeat("<a>\n", 400)) + string.Concat(Enumerable.Repeat("</a>\n", 400));

    public static TheoryData<string, string, string> Cases() => new()
    {
        // name, source, a fragment the message must contain
        { "unclosed flow tag at end", "<System>\nHello\n</System>\n\n<Derp>\n", "Expected a closing tag for `<Derp>` (5:1-5:7)" },
        { "unclosed text tag in paragraph", "<User>Hello\n\nworld</User>", "closing tag" },
        { "mismatched closing tag", "<System>\nHello\n</User>\n", "Unexpected closing tag `</User>`" },
        { "closing tag without opening", "text\n\n</User>\n", "expected an open tag first" },
        { "closing tag inside paragraph of flow element", "<A>\nx\n</A> tail", "Expected the closing tag `</A>`" },
        { "tag closed in another block quote", "> <A>\n> x\n</A>", "before the end of `blockQuote`" },
        { "tag closed after emphasis ends", "*a <b>c* d</b>", "closing tag" },
        { "unterminated attribute value", "<A b=\"x />\n", "corresponding closing quote" },
        { "attribute without value start", "<A b=c />", "before attribute value" },
        { "bad character in tag name", "<A% />", "in name" },
        { "digit after lt", "a <1 b", "before name" },
        { "html comment", "<!-- nope -->", "to create a comment in MDX" },
        { "autolink", "see <https://example.com>", "before local name" },
        { "attribute in closing tag", "<A>\n</A b>", "Unexpected attribute in closing tag" },
        { "self closing closing tag", "<A>\n</A/>", "self-closing slash" },
        { "unterminated tag at eof", "<A b", "end of file" },
        { "bad expression", "{1 +}", "Could not parse expression with acorn" },
        { "unclosed expression", "Hello {props.name", "expected a corresponding closing brace" },
        { "unclosed expression in flow", "{props.name\n\nmore", "closing brace" },
        { "bad attribute expression", "<A b={1 +} />", "Could not parse expression with acorn" },
        { "unterminated string in expression", "{'abc}", "Could not parse expression with acorn" },
        { "unterminated template literal", "{`abc}", "Could not parse expression with acorn" },
        { "unbalanced jsx in expression", "{(i) => <>{i}</x>}", "Could not parse expression with acorn" },
        { "spread with extra content", "<A {...a, b} />", "only a single spread is supported" },
        { "non-spread attribute expression", "<A {b} />", "only spread elements are supported" },
        { "lazy line in flow expression", "> {a +\nb}", "lazy line" },
        { "lazy line in flow tag", "> <A\nb />", "lazy line" },
        { "esm syntax error", "import X from\n\n# T", "Could not parse import/exports with acorn" },
        { "esm with statement", "export const y = 1", "Exports are not supported" },
        { "esm non import", "import x from './x.mdx'; const a = 1", "only import/exports are supported" },
        { "named import", "import { C } from './c.mdx';\n\n<C />", "Only default imports are supported" },
        { "namespace import", "import * as C from './c.mdx';\n\n<C />", "Only default imports are supported" },
        { "side effect import", "import './c.mdx';\n\nx", "Invalid import in" },
        { "missing import", "import Foo from './foo.mdx';\n\n<Foo />", "Failed to load import \"./foo.mdx\": file not found" },
        { "import outside root", "import Foo from '../../etc/passwd.mdx';\n\n<Foo />", "Access denied: import path outside allowed directory" },
        { "unsupported tag", "<Human>{props.q}</Human>", "Unsupported tag '<Human>'" },
        { "unsupported tag nested", "<User>\n<Widget />\n</User>", "Unsupported tag '<Widget>'" },
        { "spread attribute on component", "import C from './c.mdx';\n\n<C {...props} />", "Only literal attribute values are supported" },
        { "deep nesting", Deep, "nested deeper than" },
        { "deep blockquotes", new string('>', 600) + " x", "nested deeper than" },
        { "deep expression", "{" + new string('!', 5000) + "a}", "Could not parse expression with acorn" },
        { "deep jsx in expression", "{" + string.Concat(Enumerable.Repeat("<a>", 600)) + "}", "Could not parse expression with acorn" },
        { "error in component", "import C from './bad.mdx';\n\n<C />", "(in bad.mdx)" },
        { "schema ref missing", "---\ninput_schema:\n  $ref: ./schemas/none.json\n---\n\nx", "Schema $ref error: file not found" },
        { "schema ref not json", "---\ninput_schema:\n  $ref: ./c.mdx\n---\n\nx", "is not valid JSON" },
        { "schema ref outside root", "---\ninput_schema:\n  $ref: ../../../../etc/hosts\n---\n\nx", "Schema $ref error: file not found" },
        { "schema ref cycle", "---\ninput_schema:\n  $ref: ./loop.json\n---\n\nx", "circular reference detected" },
        { "schema pointer missing", "---\ninput_schema:\n  $ref: ./s.json#/nope\n---\n\nx", "JSON pointer \"/nope\" not found" },
    };

    private static readonly (string, string)[] Components =
    [
        ("c.mdx", "component {props.x}"),
        ("bad.mdx", "<Broken>\n"),
        ("loop.json", "{\"$ref\": \"./loop.json\"}"),
        ("s.json", "{\"a\": 1}"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_clearly(string name, string source, string expected)
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<TemplateSyntaxException>(() => Compile.Source(source, Components));
        watch.Stop();
        Assert.Contains(expected, error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{name} took {watch.Elapsed}");
        var positionless = name.StartsWith("schema", StringComparison.Ordinal);
        if (!positionless)
        {
            Assert.NotNull(error.Line);
            Assert.True(error.Line >= 1 && error.Column >= 1, $"{name}: position {error.Line}:{error.Column}");
        }
    }

    [Fact]
    public void There_are_at_least_forty_cases() => Assert.True(Cases().Count >= 40);

    [Fact]
    public void Circular_imports_fail()
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => Compile.Source("import A from './a.mdx';\n\n<A />",
            ("a.mdx", "import B from './b.mdx';\n\n<B />"), ("b.mdx", "import A from './a.mdx';\n\n<A />")));
        Assert.Equal("Circular import detected: main.prompt.mdx -> a.mdx -> b.mdx -> a.mdx", error.Message);
    }

    [Fact]
    public void Binary_and_oversized_files_are_refused()
    {
        using var dir = new TempDir();
        var binary = Path.Combine(dir.Path, "bin.prompt.mdx");
        File.WriteAllBytes(binary, [0x47, 0x49, 0x46, 0x00, 0x01, 0xff]);
        var big = dir.Write("big.prompt.mdx", new string('a', (int)ConfinedFileSource.MaxFileBytes + 10));
        var invalid = Path.Combine(dir.Path, "latin1.prompt.mdx");
        File.WriteAllBytes(invalid, [0x63, 0x61, 0x66, 0xe9]);
        var compiler = new TemplateCompiler(new ConfinedFileSource(dir.Path));
        Assert.Contains("binary", Assert.Throws<TemplateFileException>(() => compiler.Compile(binary, null)).Message);
        Assert.Contains("too large", Assert.Throws<TemplateFileException>(() => compiler.Compile(big, null)).Message);
        Assert.Contains("UTF-8", Assert.Throws<TemplateFileException>(() => compiler.Compile(invalid, null)).Message);
    }

    [Fact]
    public void Any_file_under_one_megabyte_parses_in_under_a_second()
    {
        var random = new Random(42);
        const string alphabet = "ab *_`[]()<>{}!#-+>\n\\&;:=\"'/.0123456789";
        for (var round = 0; round < 6; round++)
        {
            var sb = new StringBuilder();
            while (sb.Length < 900_000) sb.Append(alphabet[random.Next(alphabet.Length)]);
            var source = sb.ToString();
            var elapsed = BestOfThree(source);
            Assert.True(elapsed < TimeSpan.FromSeconds(1), $"round {round}: {elapsed}");
        }
        foreach (var pathological in new[] { new string('*', 900_000), string.Concat(Enumerable.Repeat("*a ", 300_000)), new string('[', 900_000), string.Concat(Enumerable.Repeat("`", 900_000)), string.Concat(Enumerable.Repeat("- ", 400_000)), string.Concat(Enumerable.Repeat("a\n", 450_000)) })
        {
            var elapsed = BestOfThree(pathological);
            Assert.True(elapsed < TimeSpan.FromSeconds(1), $"pathological input ({pathological[..8]}…) took {elapsed}");
        }
    }

    /// <summary>Wall-clock time of a parse, best of three: the CI machine's two cores are shared, so a
    /// single run can be descheduled for longer than the parse itself takes.</summary>
    private static TimeSpan BestOfThree(string source)
    {
        var best = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3 && best >= TimeSpan.FromSeconds(1); attempt++)
        {
            var watch = Stopwatch.StartNew();
            try { MdxParser.Parse(source); } catch (TemplateSyntaxException) { }
            if (watch.Elapsed < best) best = watch.Elapsed;
        }
        return best;
    }
}
