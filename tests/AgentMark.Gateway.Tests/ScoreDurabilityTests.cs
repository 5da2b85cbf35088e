using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>Scores written while spans stream in, then SIGKILL: every acknowledged score is still there.</summary>
public sealed class ScoreDurabilityTests
{
    [Fact]
    public async Task Every_acknowledged_score_survives_kill_9()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "agentmark-score-kill-" + Guid.NewGuid().ToString("N"));
        var port = DurabilityTests.FreePort();
        var process = await DurabilityTests.StartGatewayAsync(dataDir, port);
        var acknowledged = new ConcurrentBag<string>();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var stop = new CancellationTokenSource();
        var next = 0;

        async Task ScoreWriter()
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = Interlocked.Increment(ref next);
                var items = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"resource_id":"{{Otlp.TraceId(batch)}}","name":"n{{i}}","score":{{i}}}"""));
                try
                {
                    var response = await client.PostAsync("/v1/scores/batch", new StringContent($$"""{"scores":[{{items}}]}""", Encoding.UTF8, "application/json"));
                    if (response.StatusCode != HttpStatusCode.Created) continue;
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    foreach (var result in body.RootElement.GetProperty("data").GetProperty("results").EnumerateArray())
                        acknowledged.Add(result.GetProperty("id").GetString()!);
                }
                catch (HttpRequestException) { return; } // the server is gone
                catch (TaskCanceledException) { return; }
            }
        }

        async Task SpanWriter()
        {
            while (!stop.IsCancellationRequested)
            {
                var content = new ByteArrayContent(Otlp.ProtobufBody(Interlocked.Increment(ref next), 50));
                content.Headers.ContentType = new("application/x-protobuf");
                try { await client.PostAsync("/v1/traces", content); }
                catch (HttpRequestException) { return; }
                catch (TaskCanceledException) { return; }
            }
        }

        var writers = Enumerable.Range(0, 3).Select(_ => Task.Run(ScoreWriter)).Concat(Enumerable.Range(0, 2).Select(_ => Task.Run(SpanWriter))).ToArray();
        while (acknowledged.Count < 1000) await Task.Delay(5);
        process.Kill(entireProcessTree: true); // SIGKILL: no shutdown hooks run
        stop.Cancel();
        await Task.WhenAll(writers);
        await process.WaitForExitAsync();

        var restarted = await DurabilityTests.StartGatewayAsync(dataDir, port);
        try
        {
            foreach (var id in acknowledged) await ApiAssert.Ok(await client.GetAsync($"/v1/scores/{id}"));
            var total = (await ApiAssert.Ok(await client.GetAsync("/v1/scores?limit=1"))).GetProperty("pagination").GetProperty("total").GetInt64();
            // Whole batches only: a batch is one transaction.
            Assert.Equal(0, total % 50);
            Assert.True(total >= acknowledged.Count);
        }
        finally
        {
            restarted.Kill(true);
            await restarted.WaitForExitAsync();
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }
}
