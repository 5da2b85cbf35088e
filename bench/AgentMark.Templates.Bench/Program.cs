// Benchmarks for the template targets (issue 5): parse + bundle of a 200-line template with three
// imports (warm, target < 5 ms) and a cached hit (target < 0.2 ms).
// Run: dotnet run -c Release --project bench/AgentMark.Templates.Bench
using System.Diagnostics;
using System.Text;
using AgentMark.Gateway.Http.Templates;
using AgentMark.Templates;
using AgentMark.Templates.Bundling;

var root = Path.Combine(Path.GetTempPath(), "amt-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(Path.Combine(root, "components"));
try
{
    var main = WriteProject(root);
    var compiler = new TemplateCompiler(new ConfinedFileSource(root));
    var lines = File.ReadAllLines(main).Length;

    var source = File.ReadAllText(main);
    var parse = Measure(() => AgentMark.Templates.Syntax.MdxParser.Parse(source), warmup: 200, iterations: 2000);
    var compile = Measure(() => compiler.Compile(main, "text"), warmup: 200, iterations: 2000);
    using var cache = new TemplateCache();
    const string sha = "0123456789abcdef0123456789abcdef01234567";
    cache.GetOrCompile(root, main, "text", sha);
    var hit = Measure(() => cache.GetOrCompile(root, main, "text", sha), warmup: 2000, iterations: 50_000);

    Console.WriteLine($"template: {lines} lines, 3 imports");
    Console.WriteLine($"parse only (main file): mean {parse.Mean:F3} ms, p50 {parse.P50:F3} ms");
    Console.WriteLine($"parse + bundle (warm): mean {compile.Mean:F3} ms, p50 {compile.P50:F3} ms, p99 {compile.P99:F3} ms  (target < 5 ms)");
    Console.WriteLine($"cached hit:            mean {hit.Mean * 1000:F1} µs, p50 {hit.P50 * 1000:F1} µs, p99 {hit.P99 * 1000:F1} µs  (target < 200 µs)");
    return compile.Mean < 5 && hit.Mean < 0.2 ? 0 : 1;
}
finally
{
    Directory.Delete(root, recursive: true);
}

static (double Mean, double P50, double P99) Measure(Action action, int warmup, int iterations)
{
    for (var i = 0; i < warmup; i++) action();
    var samples = new double[iterations];
    var total = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    total.Stop();
    Array.Sort(samples);
    return (total.Elapsed.TotalMilliseconds / iterations, samples[iterations / 2], samples[(int)(iterations * 0.99)]);
}

static string WriteProject(string root)
{
    File.WriteAllText(Path.Combine(root, "components", "tone.mdx"), "Write in a {props.style} tone for {props.audience}.\n\nKeep it under {props.words} words.\n");
    File.WriteAllText(Path.Combine(root, "components", "rules.mdx"), "## Rules\n\n- Never invent facts about **{props.product}**.\n- Cite the ticket id `{props.ticket}`.\n- Escalate when {props.condition}.\n");
    File.WriteAllText(Path.Combine(root, "components", "examples.mdx"), "<examples>\n<example>Input: {props.sample} → Output: billing</example>\n</examples>\n\n{props.children}\n");
    var sb = new StringBuilder();
    sb.Append("---\nname: bench\ntext_config:\n  model_name: openai/gpt-4o\n  temperature: 0.2\ninput_schema:\n  type: object\n  properties:\n    name:\n      type: string\n---\n");
    sb.Append("import Tone from './components/tone.mdx';\nimport Rules from './components/rules.mdx';\nimport Examples from './components/examples.mdx';\n\n");
    sb.Append("<System>\nYou are the assistant for {props.company}.\n<Tone style=\"friendly\" audience={props.audience} words={150} />\n<Rules product=\"Acme\" ticket={props.ticket} condition=\"the customer is angry\" />\n</System>\n\n");
    var line = 18;
    var section = 0;
    while (line < 190)
    {
        section++;
        sb.Append($"<User>\n### Section {section}: *{{props.title}}*\n\nHello {{props.name}}, here is **item {section}** with `code {section}` and a [link](https://example.com/{section}).\n\n");
        sb.Append($"<If condition={{props.flags.f{section} == true}}>\n- bullet one for {{upper(props.name)}}\n- bullet two with {{join(props.tags, \", \")}}\n</If>\n");
        sb.Append("<ForEach arr={props.items}>\n  {(item, index) => (\n    <>\n      - {index}: {item.name}\n    </>\n  )}\n</ForEach>\n</User>\n\n");
        line += 17;
    }
    sb.Append("<Examples sample={props.sample}>\nMore context for the model.\n</Examples>\n");
    var path = Path.Combine(root, "bench.prompt.mdx");
    File.WriteAllText(path, sb.ToString());
    return path;
}
