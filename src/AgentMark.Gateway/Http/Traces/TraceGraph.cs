using System.Text.Json;
using AgentMark.Core.Spans;

namespace AgentMark.Gateway.Http.Traces;

/// <summary>Agent-workflow graph rows from <c>graph.node.*</c> span metadata (ingestion §5.7).</summary>
public static class TraceGraph
{
    /// <param name="spans">One trace's spans, start ascending.</param>
    public static List<GraphNode> Build(IReadOnlyList<SpanRecord> spans)
    {
        var nodes = new List<GraphNode>();
        foreach (var span in spans)
        {
            if (string.IsNullOrEmpty(span.Metadata)) continue;
            var metadata = WireFormat.Metadata(span.Metadata, includeReserved: true);
            if (!metadata.TryGetValue("graph.node.id", out var nodeId) || nodeId.Length == 0) continue;
            var type = metadata.GetValueOrDefault("graph.node.type") ?? "";
            var displayName = metadata.GetValueOrDefault("graph.node.display_name") ?? "";
            var parents = ParentIds(metadata.GetValueOrDefault("graph.node.parent_ids"));
            if (parents.Count == 0 && metadata.GetValueOrDefault("graph.node.parent_id") is { Length: > 0 } single) parents.Add(single);
            if (parents.Count == 0) parents.Add(null);
            foreach (var parent in parents)
            {
                nodes.Add(new GraphNode
                {
                    ParentNodeId = parent,
                    NodeId = nodeId,
                    SpanId = span.SpanId,
                    NodeType = type,
                    DisplayName = displayName,
                    SpanName = span.SpanName,
                });
            }
        }
        return nodes;
    }

    /// <summary>A JSON array string of ids; malformed → none (Deviation from the reference, which fails).</summary>
    private static List<string?> ParentIds(string? json)
    {
        var result = new List<string?>();
        if (string.IsNullOrEmpty(json)) return result;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return result;
            foreach (var element in document.RootElement.EnumerateArray())
                result.Add(element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText());
        }
        catch (JsonException) { }
        return result;
    }
}
