namespace AgentMark.Gateway.Hosting;

/// <summary>
/// Gateway settings, bound from the "AgentMark" configuration section, which command-line flags
/// (<c>--host</c>, <c>--port</c>, <c>--data-dir</c>, <c>--project-dir</c>) and environment variables
/// (<c>AGENTMARK_HOST</c>, …) feed (see <see cref="GatewayConfiguration"/>).
/// </summary>
public sealed class GatewayOptions
{
    public const string Section = "AgentMark";

    public string Host { get; set; } = "127.0.0.1";
    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; set; } = 9418;
    /// <summary>Where the embedded store keeps its files.</summary>
    public string DataDir { get; set; } = "./.agentmark";
    /// <summary>Where agentmark.json, templates and datasets live.</summary>
    public string ProjectDir { get; set; } = ".";
    /// <summary>Known app ids besides the built-in local app; an X-Agentmark-App-Id naming one
    /// selects it, any other value falls back to the local app (wire-contract §2.3).</summary>
    public List<string> Apps { get; set; } = [];
    /// <summary>Request body limit after decompression (wire-contract §1.2).</summary>
    public int MaxBodyBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Pending ingest batches before the writer answers 503.</summary>
    public int IngestQueueCapacity { get; set; } = 256;

    public string ResolvedDataDir => Path.GetFullPath(DataDir);
    public string ResolvedProjectDir => Path.GetFullPath(ProjectDir);
}
