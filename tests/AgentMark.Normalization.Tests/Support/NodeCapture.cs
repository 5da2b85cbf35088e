using System.Diagnostics;
using System.Text;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Normalization.Tests.Support;

/// <summary>
/// Runs one of the capture scripts in <c>js/</c> (a real instrumentation library against a fake model
/// server, exported by the real OpenTelemetry JS OTLP/HTTP exporter), decodes the export body with the
/// gateway's own OTLP/JSON decoder and normalizes every span.
/// </summary>
public static class NodeCapture
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static IReadOnlyList<SpanRecord> Run(string script)
    {
        var body = RunNode(script);
        var decoded = OtlpJsonDecoder.Decode(Encoding.UTF8.GetBytes(body));
        Assert.Equal(0, decoded.RejectedCount);
        return decoded.Spans.Select(span => Spans.Normalize(span, "app")).ToList();
    }

    private static string RunNode(string script)
    {
        var directory = ScriptDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            throw new InvalidOperationException($"npm packages are not installed: run {Path.Combine(directory, "install.sh")} (scripts/test.sh does).");
        }
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Timeout}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>The <c>js</c> folder of this test project's sources (node_modules lives there, not in bin/).</summary>
    private static string ScriptDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "js");
            if (File.Exists(Path.Combine(candidate, "harness.cjs"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/AgentMark.Normalization.Tests/js not found above " + AppContext.BaseDirectory);
    }
}
