using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgentMark.Bench;

/// <summary>The gateway under test as its own process, so its RSS is measured alone.</summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }

    private GatewayProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public static async Task<GatewayProcess> StartAsync(string dataDir)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dll = Path.Combine(AppContext.BaseDirectory, "AgentMark.Gateway.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "serve", "--port", port.ToString(), "--data-dir", dataDir, "--project-dir", dataDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var client = new HttpClient();
        for (var i = 0; i < 400; i++)
        {
            try { if ((await client.GetAsync(url + "/health")).IsSuccessStatusCode) return new GatewayProcess(process, url); }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        process.Kill(true);
        throw new TimeoutException("the gateway did not start");
    }

    /// <summary>Peak resident set size (VmHWM) in MB.</summary>
    public double PeakRssMb() => StatusKb("VmHWM:") / 1024.0;

    public double RssMb() => StatusKb("VmRSS:") / 1024.0;

    /// <summary>Resets the peak (VmHWM) to the current RSS, to measure the peak of one phase.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    /// <summary>CPU time the gateway has used so far (user + system), in ms: a figure that other load on the machine disturbs less than wall time.</summary>
    public double CpuMs() => TicksToMs(File.ReadAllText($"/proc/{_process.Id}/stat"));

    /// <summary>CPU time of the store's single writer thread so far, in ms (0 if it has not started): the serial part of ingest.</summary>
    public double WriterCpuMs()
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("agentmark-span")) return TicksToMs(File.ReadAllText(Path.Combine(task, "stat")));
            }
            catch (IOException) { } // the thread ended
        }
        return 0;
    }

    private static double TicksToMs(string stat)
    {
        // Fields after the parenthesized command name; utime and stime are fields 14 and 15, in clock ticks (100 per second).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) * 10.0;
    }

    /// <summary>Bytes the gateway has passed to write calls so far (<c>wchar</c>): WAL frames, checkpoints and logs.</summary>
    public long WrittenBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/io"))
        {
            if (line.StartsWith("wchar:")) return long.Parse(line["wchar:".Length..].Trim());
        }
        return 0;
    }

    private long StatusKb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field)) return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
        }
        return 0;
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
            if (!_process.WaitForExit(60_000)) _process.Kill(true);
        }
        _process.Dispose();
    }
}
