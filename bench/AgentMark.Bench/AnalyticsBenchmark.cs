using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentMark.Bench;

/// <summary>GET /v1/metrics over the last days, then a JSONL export of many spans page by page.</summary>
internal static class AnalyticsBenchmark
{
    public static async Task RunAsync(HttpClient http, GatewayProcess gateway, int days, int iterations, int exportSpans)
    {
        var end = DateTimeOffset.UtcNow;
        var start = end.AddDays(-days);
        var range = $"start_date={Iso(start)}&end_date={Iso(end)}";
        foreach (var (name, path) in new[] { ($"metrics, {days} days hourly", $"/v1/metrics?{range}"), ($"metrics, {days} days, extended", $"/v1/metrics?{range}&extended=true") })
        {
            string body = "";
            for (var i = 0; i < 3; i++) body = await GetStringAsync(http, path);
            var times = new double[iterations];
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                body = await GetStringAsync(http, path);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            Array.Sort(times);
            using var document = JsonDocument.Parse(body);
            var data = document.RootElement.GetProperty("data");
            Console.WriteLine($"  {name,-34} p50 {Percentile(times, 0.5),8:F2} ms   p99 {Percentile(times, 0.99),8:F2} ms   " +
                $"({data.GetProperty("summary").GetProperty("total_requests").GetInt64()} requests in {data.GetProperty("time_series").GetArrayLength()} hours)");
        }

        // Export: pages of 2000 rows (the maximum) following next_cursor, each streamed and counted, never held.
        Console.WriteLine($"server RSS before export {gateway.RssMb():F0} MB");
        gateway.ResetPeakRss();
        long bytes = 0, rows = 0;
        var pages = 0;
        string? cursor = null;
        var clock = Stopwatch.StartNew();
        while (rows < exportSpans)
        {
            var limit = (int)Math.Min(2000, exportSpans - rows);
            var path = $"/v1/traces/export?format=jsonl&limit={limit}&startDate={Iso(start)}&endDate={Iso(end)}" +
                (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var (pageBytes, lines, meta) = await DrainAsync(stream);
            bytes += pageBytes;
            rows += lines - 1;
            pages++;
            using var document = JsonDocument.Parse(meta);
            var next = document.RootElement.GetProperty("_export_meta").GetProperty("next_cursor");
            if (next.ValueKind == JsonValueKind.Null) break;
            cursor = next.GetString();
        }
        clock.Stop();
        Console.WriteLine($"  export jsonl: {rows} spans in {pages} pages, {bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s = " +
            $"{bytes / 1e6 / clock.Elapsed.TotalSeconds:F1} MB/s, {rows / clock.Elapsed.TotalSeconds:F0} spans/s; " +
            $"server peak RSS during export {gateway.PeakRssMb():F0} MB");
    }

    /// <summary>Reads a JSONL body to the end; returns its size, its line count and its last line (the meta).</summary>
    private static async Task<(long Bytes, long Lines, string Last)> DrainAsync(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        string last = "";
        long bytes = 0, lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                line.Write(buffer, from, i - from);
                lines++;
                // Only the short meta line is decoded; data lines are just counted.
                if (line.Length < 1024) last = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
                line.SetLength(0);
                from = i + 1;
            }
            line.Write(buffer, from, read - from);
        }
        return (bytes, lines, last);
    }

    private static async Task<string> GetStringAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
