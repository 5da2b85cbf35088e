using System.Diagnostics;
using System.Net;
using System.Text;

namespace AgentMark.Bench;

/// <summary>
/// <c>scores</c>: POST /v1/scores/batch with 1000 items over HTTP, timed end to end (each answer
/// means the batch is committed durably). Half the items score stored traces, half unknown ids.
/// </summary>
internal static class ScoreBenchmark
{
    public static async Task RunAsync(HttpClient http, GatewayProcess gateway, long storedTraces, int batchSize, int runs)
    {
        var bodies = Enumerable.Range(0, runs + 3).Select(run => Body(run, batchSize, storedTraces)).ToArray();
        Console.WriteLine($"scores: {runs} batches of {batchSize} ({bodies.Average(b => b.Length) / 1024:F0} KB each) after 3 warm-up batches");
        var times = new List<double>();
        var cpuBefore = 0.0;
        for (var run = 0; run < bodies.Length; run++)
        {
            if (run == 3) cpuBefore = gateway.CpuMs();
            var content = new ByteArrayContent(bodies[run]);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/v1/scores/batch", content);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"batch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if (run >= 3) times.Add(elapsed);
        }
        var cpuPerBatch = (gateway.CpuMs() - cpuBefore) / runs;
        times.Sort();
        Console.WriteLine($"  batch of {batchSize}: p50 {Percentile(times, 0.5):F1} ms, p90 {Percentile(times, 0.9):F1} ms, max {times[^1]:F1} ms " +
            $"({batchSize / Percentile(times, 0.5) * 1000:F0} scores/s at p50); server CPU {cpuPerBatch:F1} ms per batch");
    }

    private static byte[] Body(int run, int batchSize, long storedTraces)
    {
        var body = new StringBuilder("{\"scores\":[");
        for (var i = 0; i < batchSize; i++)
        {
            if (i > 0) body.Append(',');
            var resource = i % 2 == 0 && storedTraces > 0
                ? SpanGenerator.TraceId(1 + (run * (long)batchSize + i) % storedTraces)
                : $"{run:x8}{i:x24}";
            body.Append($$"""{"resource_id":"{{resource}}","name":"metric-{{i % 5}}","score":{{i % 100 / 100.0}},"label":"label","reason":"reason {{i}}","source":"experiment","client_id":"row-{{i}}"}""");
        }
        return Encoding.UTF8.GetBytes(body.Append("]}").ToString());
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
