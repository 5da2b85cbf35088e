using System.Diagnostics;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;
using AgentMark.Normalization;
using AgentMark.Normalization.Pricing;
using AgentMark.Storage.Embedded;

namespace AgentMark.Bench;

/// <summary>The ingest stages in one process, without HTTP: where does the time go?</summary>
internal static class PipelineBenchmark
{
    public static async Task<int> RunAsync(int spans, int batch)
    {
        var tracesPerRequest = Math.Max(1, batch / SpanGenerator.SpansPerTrace);
        var requests = Math.Max(1, spans / (tracesPerRequest * SpanGenerator.SpansPerTrace));
        var bodies = Enumerable.Range(0, requests).Select(i => SpanGenerator.Request(1 + (long)i * tracesPerRequest, tracesPerRequest)).ToArray();
        var total = (long)requests * tracesPerRequest * SpanGenerator.SpansPerTrace;

        var clock = Stopwatch.StartNew();
        var decoded = bodies.Select(b => OtlpProtobufDecoder.Decode(b)).ToArray();
        var decodeSeconds = clock.Elapsed.TotalSeconds;

        var normalizer = new SpanNormalizer(PricingRegistry.LoadBundled());
        clock.Restart();
        var records = decoded.Select(d => (IReadOnlyList<SpanRecord>)d.Spans.Select(s => normalizer.Normalize(s, "local")).ToList()).ToArray();
        var normalizeSeconds = clock.Elapsed.TotalSeconds;

        var folder = Path.Combine(Path.GetTempPath(), "agentmark-pipeline-" + Guid.NewGuid().ToString("N"));
        await using (var store = new SqliteTraceStore(folder, queueCapacity: 100_000))
        {
            await store.InitializeAsync(CancellationToken.None);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            // All at once: the writer groups them as concurrent requests would be grouped.
            await Task.WhenAll(records.Select(r => store.AppendAsync(r, CancellationToken.None)));
            var storeSeconds = clock.Elapsed.TotalSeconds;
            // CPU time per span says more than wall time on a busy machine (the store is one writer thread).
            var storeCpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / total;
            Console.WriteLine($"{total} spans: decode {total / decodeSeconds:F0}/s, normalize {total / normalizeSeconds:F0}/s, store {total / storeSeconds:F0}/s ({storeCpuUs:F1} µs CPU per span)");
            Console.WriteLine($"database {new FileInfo(Path.Combine(folder, SqliteTraceStore.FileName)).Length / (double)total:F0} bytes per span (plus WAL)");
        }
        Directory.Delete(folder, true);
        return 0;
    }
}
