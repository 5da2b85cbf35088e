using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using AgentMark.Bench;

// Usage:
//   dotnet run -c Release --project bench/AgentMark.Bench -- ingest [--clients 8] [--spans 200000] [--batch 200]
//   dotnet run -c Release --project bench/AgentMark.Bench -- query  [--spans 1000000] [--data-dir DIR] [--days N]
//   dotnet run -c Release --project bench/AgentMark.Bench -- pipeline [--spans 50000] [--batch 200]   (in process, no HTTP)
//   dotnet run -c Release --project bench/AgentMark.Bench -- analytics [--spans 1000000] [--days 7] [--export-spans 100000] [--data-dir DIR]
//   dotnet run -c Release --project bench/AgentMark.Bench -- scores [--spans 20000] [--batch-size 1000] [--runs 20]
//   dotnet run -c Release --project bench/AgentMark.Bench -- filter-parse [--iterations 20000]       (in process)
//   dotnet run -c Release --project bench/AgentMark.Bench -- experiments [--runs 20] [--items 500] [--appends 500]
var command = args.FirstOrDefault() ?? "ingest";
var options = Options.Parse(args.Skip(1).ToArray());
if (command == "pipeline") return await PipelineBenchmark.RunAsync(options.Int("spans", 50_000), options.Int("batch", 200));
if (command == "filter-parse") return FilterParseBenchmark.Run(options.Int("iterations", 20_000));
// --days N spreads the generated traces evenly over the last N days instead of 2 ms apart.
if (options.Has("days")) SpanGenerator.SpreadOver(options.Int("days", 30), options.Int("spans", 1_000_000) / SpanGenerator.SpansPerTrace);
var dataDir = options.Get("data-dir", Path.Combine(Path.GetTempPath(), "agentmark-bench-" + Guid.NewGuid().ToString("N")));
var keepData = options.Has("data-dir");

using var gateway = await GatewayProcess.StartAsync(dataDir);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(gateway.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
Console.WriteLine($"gateway {gateway.BaseUrl}, data {dataDir}, {Environment.ProcessorCount} cores");

try
{
    switch (command)
    {
        case "ingest":
            // --warmup N first posts N spans untimed (JIT tiering, caches), so the timed run shows the steady state.
            var firstTrace = options.Int("warmup", 0) is > 0 and var warmup
                ? await Ingest(options.Int("clients", 8), warmup, options.Int("batch", 200), firstTrace: 1)
                : 1;
            await Ingest(options.Int("clients", 8), options.Int("spans", 200_000), options.Int("batch", 200), firstTrace);
            break;
        case "query":
            await Query(options.Int("spans", 1_000_000), options.Int("iterations", 50));
            break;
        case "analytics":
            // Spans spread over the metrics window, so the hourly rollups have every hour to read.
            var days = options.Int("days", 7);
            SpanGenerator.SpreadOver(days, options.Int("spans", 1_000_000) / SpanGenerator.SpansPerTrace);
            await Load(options.Int("spans", 1_000_000));
            await AnalyticsBenchmark.RunAsync(http, gateway, days, options.Int("iterations", 30), options.Int("export-spans", 100_000));
            break;
        case "scores":
            var lastTrace = await Ingest(options.Int("clients", 8), options.Int("spans", 20_000), options.Int("batch", 200), firstTrace: 1);
            await ScoreBenchmark.RunAsync(http, gateway, lastTrace - 1, options.Int("batch-size", 1000), options.Int("runs", 20));
            break;
        case "experiments":
            await ExperimentBenchmark.RunAsync(http, options.Int("runs", 20), options.Int("items", 500), options.Int("iterations", 30), options.Int("appends", 500));
            break;
        default:
            Console.Error.WriteLine($"unknown command {command}");
            return 2;
    }
}
finally
{
    if (!keepData)
    {
        gateway.Dispose();
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }
}
return 0;

async Task<long> Ingest(int clients, int spans, int batch, long firstTrace)
{
    var tracesPerRequest = Math.Max(1, batch / SpanGenerator.SpansPerTrace);
    var requests = (int)Math.Ceiling(spans / (double)(tracesPerRequest * SpanGenerator.SpansPerTrace));
    Console.WriteLine($"ingest: {requests} requests x {tracesPerRequest * SpanGenerator.SpansPerTrace} spans, {clients} clients");
    // Bodies are built before the clock starts so the generator does not compete with the server for CPU.
    var bodies = new byte[requests][];
    Parallel.For(0, requests, i => bodies[i] = SpanGenerator.Request(firstTrace + (long)i * tracesPerRequest, tracesPerRequest));
    Console.WriteLine($"average body {bodies.Average(b => b.Length) / (tracesPerRequest * SpanGenerator.SpansPerTrace):F0} bytes per span");

    var latencies = new double[requests];
    var next = -1;
    var retries = 0;
    var (writtenBefore, cpuBefore, writerBefore) = (gateway.WrittenBytes(), gateway.CpuMs(), gateway.WriterCpuMs());
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < requests)
        {
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                using var response = await http.PostAsync("/v1/traces", content);
                if (response.StatusCode == HttpStatusCode.OK) break;
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable) throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Interlocked.Increment(ref retries);
                await Task.Delay(50);
            }
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    clock.Stop();
    var sent = (long)requests * tracesPerRequest * SpanGenerator.SpansPerTrace;
    Array.Sort(latencies);
    Console.WriteLine($"ingested {sent} spans in {clock.Elapsed.TotalSeconds:F1} s = {sent / clock.Elapsed.TotalSeconds:F0} spans/s durable; " +
        $"request p50 {Percentile(latencies, 0.5):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms; 503 retries {retries}; " +
        $"server peak RSS {gateway.PeakRssMb():F0} MB");
    Console.WriteLine($"server wrote {(gateway.WrittenBytes() - writtenBefore) / 1024.0 / sent:F1} KB per span, used {(gateway.CpuMs() - cpuBefore) * 1000 / sent:F0} µs CPU per span, " +
        $"of which the writer thread {(gateway.WriterCpuMs() - writerBefore) * 1000 / sent:F0} µs");
    return firstTrace + (long)requests * tracesPerRequest;
}

/// <summary>Ingests spans until the store holds <paramref name="spans"/>; returns the number of traces.</summary>
async Task<long> Load(int spans)
{
    var existing = (await Json($"/v1/spans?limit=1")).GetProperty("pagination").GetProperty("total").GetInt64();
    if (existing < spans)
    {
        var firstTrace = existing / SpanGenerator.SpansPerTrace + 1;
        return await Ingest(options.Int("clients", 8), (int)(spans - existing), options.Int("batch", 200), firstTrace) - 1;
    }
    Console.WriteLine($"reusing {existing} stored spans");
    return existing / SpanGenerator.SpansPerTrace;
}

async Task Query(int spans, int iterations)
{
    var traces = await Load(spans);

    var random = new Random(42);
    (string Name, Func<string> Path)[] queries =
    [
        ("trace list, first page", () => "/v1/traces?limit=50"),
        ("trace list, offset 10000", () => "/v1/traces?limit=50&offset=10000"),
        ("trace list, model + user filters", () => $"/v1/traces?model=gpt-4o&user_id=user-{random.Next(97)}"),
        ("trace list, session filter", () => $"/v1/traces?session_id=session-{random.NextInt64(traces / 4)}"),
        ("trace list, date range + status", () => $"/v1/traces?start_date={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&end_date={DateTime.UtcNow:yyyy-MM-dd}&status=OK"),
        // Issue 3: model + latency through the filter language, over one calendar day (yesterday).
        ("trace list, filter model+latency+date", () => $"/v1/traces?start_date={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&end_date={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&filter=" +
            Uri.EscapeDataString("model = \"gpt-4o\" and latency_ms > 1000")),
        ("trace list, filter, first page only", () => $"/v1/traces?limit=50&filter=" + Uri.EscapeDataString("model = \"gpt-4o\" and latency_ms > 1000")),
        ("spans, filter model + tokens", () => "/v1/spans?limit=100&filter=" + Uri.EscapeDataString("model = \"gpt-4o\" and prompt_tokens > 390")),
        ("get trace", () => $"/v1/traces/{SpanGenerator.TraceId(1 + random.NextInt64(traces))}"),
        ("trace spans", () => $"/v1/traces/{SpanGenerator.TraceId(1 + random.NextInt64(traces))}/spans"),
        ("spans, generations page", () => "/v1/spans?type=GENERATION&limit=100"),
        // Sessions: the generator puts four consecutive traces in one session (session-{trace / 4}).
        ("sessions, first page", () => "/v1/sessions?limit=50"),
        ("sessions, search", () => $"/v1/sessions?search=session-{random.NextInt64(traces / 4)}"),
        ("sessions, sorted by cost", () => "/v1/sessions?limit=50&sort_by=total_cost"),
        ("session traces (deprecated)", () => $"/v1/sessions/session-{random.NextInt64(traces / 4)}/traces"),
        ("requests, first page", () => "/v1/requests?limit=50"),
    ];
    Console.WriteLine($"queries over {traces * SpanGenerator.SpansPerTrace} spans / {traces} traces, {iterations} iterations each (HTTP round trip included):");
    foreach (var (name, path) in queries)
    {
        // Unpaginated answers (a trace, a session's traces) report their length instead of a total.
        var first = await Json(path());
        var matched = first.TryGetProperty("pagination", out var pagination) ? pagination.GetProperty("total").GetInt64()
            : first.GetProperty("data").ValueKind == System.Text.Json.JsonValueKind.Array ? first.GetProperty("data").GetArrayLength() : 1;
        for (var i = 0; i < 2; i++) await Json(path());
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await Json(path());
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"  {name,-38} p50 {Percentile(times, 0.5),8:F2} ms   p99 {Percentile(times, 0.99),8:F2} ms   ({matched} rows)");
    }
    Console.WriteLine($"server RSS {gateway.RssMb():F0} MB, peak {gateway.PeakRssMb():F0} MB");
}

async Task<System.Text.Json.JsonElement> Json(string path)
{
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
    return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
        return new Options(values);
    }

    public bool Has(string name) => values.ContainsKey(name);
    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
}
