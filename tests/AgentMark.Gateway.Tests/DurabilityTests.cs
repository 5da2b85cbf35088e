using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgentMark.Gateway.Tests;

/// <summary>The gateway as a real child process, killed with SIGKILL while clients are writing.</summary>
public sealed class DurabilityTests
{
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task<Process> StartGatewayAsync(string dataDir, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "AgentMark.Gateway.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "serve", "--port", port.ToString(), "--data-dir", dataDir, "--project-dir", dataDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode) return process;
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        process.Kill(true);
        throw new TimeoutException("gateway did not start");
    }

    [Fact]
    public async Task Every_acknowledged_span_survives_kill_9()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "agentmark-kill-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var process = await StartGatewayAsync(dataDir, port);
        var acknowledged = new ConcurrentBag<int>();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var stop = new CancellationTokenSource();
        var next = 0;

        async Task Writer()
        {
            while (!stop.IsCancellationRequested)
            {
                var trace = Interlocked.Increment(ref next);
                try
                {
                    var content = new ByteArrayContent(Otlp.ProtobufBody(trace, 20));
                    content.Headers.ContentType = new("application/x-protobuf");
                    var response = await client.PostAsync("/v1/traces", content);
                    if (response.StatusCode == HttpStatusCode.OK) acknowledged.Add(trace);
                }
                catch (HttpRequestException) { return; } // the server is gone
                catch (TaskCanceledException) { return; }
            }
        }

        var writers = Enumerable.Range(0, 6).Select(_ => Task.Run(Writer)).ToArray();
        while (acknowledged.Count < 60) await Task.Delay(5);
        process.Kill(entireProcessTree: true); // SIGKILL: no shutdown hooks run
        stop.Cancel();
        await Task.WhenAll(writers);
        await process.WaitForExitAsync();
        Assert.True(acknowledged.Count >= 60);

        var restarted = await StartGatewayAsync(dataDir, port);
        try
        {
            foreach (var trace in acknowledged)
            {
                var spans = await ApiAssert.Ok(await client.GetAsync($"/v1/traces/{Otlp.TraceId(trace)}/spans"));
                Assert.Equal(20, spans.GetProperty("data").GetArrayLength());
            }
        }
        finally
        {
            restarted.Kill(true);
            await restarted.WaitForExitAsync();
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Sigterm_shuts_down_gracefully_and_keeps_data()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "agentmark-term-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var process = await StartGatewayAsync(dataDir, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var content = new ByteArrayContent(Otlp.ProtobufBody(1, 5));
        content.Headers.ContentType = new("application/x-protobuf");
        await ApiAssert.Ok(await client.PostAsync("/v1/traces", content));

        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);

        var restarted = await StartGatewayAsync(dataDir, port);
        try
        {
            var spans = await ApiAssert.Ok(await client.GetAsync($"/v1/traces/{Otlp.TraceId(1)}/spans"));
            Assert.Equal(5, spans.GetProperty("data").GetArrayLength());
        }
        finally
        {
            restarted.Kill(true);
            await restarted.WaitForExitAsync();
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }
}
