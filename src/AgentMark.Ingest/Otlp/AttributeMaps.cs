using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace AgentMark.Ingest.Otlp;

/// <summary>Rules shared by every decoded attribute map (ingestion §1.9).</summary>
internal static class AttributeMaps
{
    /// <summary>One shared instance for spans, events and links without attributes.</summary>
    public static readonly IReadOnlyDictionary<string, JsonNode?> Empty = ReadOnlyDictionary<string, JsonNode?>.Empty;

    /// <summary>
    /// Keys that are skipped: empty, and the three the reference drops against prototype pollution,
    /// so stored maps stay identical to its.
    /// </summary>
    public static bool IsUsableKey(string? key) =>
        !string.IsNullOrEmpty(key) && key is not ("__proto__" or "constructor" or "prototype");
}
