using System.Diagnostics;
using AgentMark.Core.Filtering;

namespace AgentMark.Bench;

/// <summary>
/// What parsing and validating a filter adds to a request (budget: 50 µs): a Stopwatch loop per
/// encoding after a warm-up long enough for the JIT to reach optimized code; best of several rounds.
/// </summary>
internal static class FilterParseBenchmark
{
    private static readonly (string Name, string Text)[] Filters =
    [
        ("DSL, 1 predicate", "model = \"gpt-4o\""),
        ("DSL, model + latency + OR group", "model = \"gpt-4o\" and latency_ms > 1000 and (status = ERROR or metadata.env = \"prod\")"),
        ("JSON array, 4 leaves", """[{"field":"model","operator":"in","value":["gpt-4o","o3"]},{"field":"latency_ms","operator":"gt","value":1000},{"or":[{"field":"status","operator":"equals","value":"ERROR"},{"field":"metadata.env","operator":"equals","value":"prod"}]}]"""),
        ("JSON tree, 4 leaves", """{"op":"and","exprs":[{"field":"model","op":"eq","value":"gpt-4o"},{"field":"latency_ms","op":"gt","value":1000},{"op":"or","exprs":[{"field":"status","op":"eq","value":"ERROR"},{"field":"metadata.env","op":"eq","value":"prod"}]}]}"""),
        ("DSL, 20 predicates", string.Join(" and ", Enumerable.Range(0, 20).Select(i => $"metadata.key{i} = \"value {i}\""))),
    ];

    public static int Run(int iterations)
    {
        Console.WriteLine($"filter parse + validate, best of 10 rounds of {iterations} (after a 1 s warm-up each):");
        foreach (var (name, text) in Filters)
        {
            if (!FilterParser.ParseQuery(text, FilterSurface.Traces).Succeeded) throw new InvalidOperationException($"{name} does not parse");
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < TimeSpan.FromSeconds(1)) FilterParser.ParseQuery(text, FilterSurface.Traces);
            var best = double.MaxValue;
            for (var round = 0; round < 10; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < iterations; i++) FilterParser.ParseQuery(text, FilterSurface.Traces);
                best = Math.Min(best, clock.Elapsed.TotalMicroseconds / iterations);
            }
            Console.WriteLine($"  {name,-36} {best,8:F2} µs per parse");
        }
        return 0;
    }
}
