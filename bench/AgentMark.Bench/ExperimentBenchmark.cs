using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Bench;

/// <summary>
/// <c>experiments</c>: loads <c>--runs</c> dataset runs of <c>--items</c> rows (a root span and two
/// model calls each) over OTLP/JSON, then times the experiment reads and durable dataset appends over HTTP.
/// </summary>
internal static class ExperimentBenchmark
{
    private const long BaseNs = 1_767_225_600_000_000_000;

    public static async Task RunAsync(HttpClient http, int runs, int items, int iterations, int appends)
    {
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            for (var first = 0; first < items; first += 100)
            {
                using var response = await http.PostAsync("/v1/traces", new StringContent(Body(run, first, Math.Min(100, items - first)), Encoding.UTF8, "application/json"));
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}");
            }
        }
        Console.WriteLine($"loaded {runs} runs x {items} items ({runs * items * 3} spans) in {clock.Elapsed.TotalSeconds:F1} s");

        await Time(http, "experiments, first page", "/v1/experiments", iterations);
        await Time(http, "experiments, prompt filter", "/v1/experiments?prompt_name=prompt-3", iterations);
        await Time(http, $"experiment detail ({items} items)", "/v1/experiments/run-0", iterations);
        await Time(http, "baseline (exact tree)", "/v1/experiments/baseline?experiment_key=key&tree_hash=tree-1", iterations);

        var latencies = new double[appends];
        clock.Restart();
        for (var i = 0; i < appends; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/v1/datasets/bench%2Fsequential/rows",
                new StringContent($$"""{"input":{"q":"question {{i}}","context":"{{new string('c', 400)}}"},"expected_output":"answer {{i}}"}""", Encoding.UTF8, "application/json"));
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"append answered {(int)response.StatusCode}");
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var sequential = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine($"  {"dataset append, 1 client",-34} {appends / sequential,8:F0} rows/s   p50 {Percentile(latencies, 0.5),6:F2} ms   p99 {Percentile(latencies, 0.99),6:F2} ms");

        clock.Restart();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < appends)
            {
                using var response = await http.PostAsync("/v1/datasets/bench%2Fconcurrent/rows",
                    new StringContent("""{"input":{"q":"x"},"expected_output":"y"}""", Encoding.UTF8, "application/json"));
                if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"append answered {(int)response.StatusCode}");
            }
        }));
        Console.WriteLine($"  {"dataset append, 8 clients, 1 file",-34} {appends / clock.Elapsed.TotalSeconds,8:F0} rows/s");
        await Time(http, "dataset list", "/v1/datasets", iterations);
    }

    /// <summary>Runs differ in prompt and tree; run-0 and run-1 share the experiment key.</summary>
    private static string Body(int run, int first, int count)
    {
        var spans = new List<string>();
        for (var item = first; item < first + count; item++)
        {
            var trace = $"{run + 1:x8}{item + 1:x24}";
            var root = $"{run + 1:x8}{item + 1:x8}";
            var start = BaseNs + ((long)run * 1_000_000 + item) * 1_000_000_000;
            spans.Add(Span(trace, root, null, $"experiment-{run}-{item}", start, 2_000,
                Attr("agentmark.dataset_run_id", $"run-{run}"), Attr("agentmark.dataset_run_name", $"run {run}"),
                Attr("agentmark.dataset_item_name", item.ToString()), Attr("agentmark.dataset_input", $$"""{"q":"question {{item}}"}"""),
                Attr("agentmark.dataset_expected_output", $"answer {item}"), Attr("agentmark.dataset_path", "datasets/bench.jsonl"),
                Attr("agentmark.experiment_key", run < 2 ? "key" : $"key-{run}"), Attr("agentmark.source_tree_hash", $"tree-{run}"),
                Attr("agentmark.metadata.commit_sha", $"sha-{run}")));
            for (var call = 0; call < 2; call++)
            {
                spans.Add(Span(trace, $"{run + 1:x8}{item + 1:x6}{call:x2}", root, "chat gpt-4o", start + (call + 1) * 10_000_000, 800,
                    Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.request.model", "gpt-4o"), Attr("agentmark.prompt_name", $"prompt-{run}"),
                    Attr("gen_ai.request.input", $"question {item} " + new string('q', 300)), Attr("gen_ai.response.output", $"answer {item} " + new string('a', 300)),
                    """{"key":"gen_ai.usage.input_tokens","value":{"intValue":"120"}}""", """{"key":"gen_ai.usage.output_tokens","value":{"intValue":"40"}}"""));
            }
        }
        return """{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bench"}}]},"scopeSpans":[{"scope":{"name":"agentmark"},"spans":[""" +
            string.Join(",", spans) + "]}]}]}";
    }

    private static string Span(string trace, string span, string? parent, string name, long startNs, long durationMs, params string[] attributes) =>
        $$"""{"traceId":"{{trace}}","spanId":"{{span}}",{{(parent is null ? "" : $"\"parentSpanId\":\"{parent}\",")}}"name":"{{name}}","kind":1,"startTimeUnixNano":"{{startNs}}","endTimeUnixNano":"{{startNs + durationMs * 1_000_000}}","attributes":[{{string.Join(",", attributes)}}],"status":{"code":1""" + "}}";

    private static string Attr(string key, string value) => $$"""{"key":"{{key}}","value":{"stringValue":{{JsonSerializer.Serialize(value)}}""" + "}}";

    private static async Task Time(HttpClient http, string name, string path, int iterations)
    {
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"  {name,-34} p50 {Percentile(times, 0.5),8:F2} ms   p99 {Percentile(times, 0.99),8:F2} ms");
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
