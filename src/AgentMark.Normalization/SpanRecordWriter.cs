using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Json;
using AgentMark.Normalization.Tags;

namespace AgentMark.Normalization;

/// <summary>
/// The storage step (ingestion §6.1): column defaults for unset fields and the JSON-text columns, all in
/// <c>JSON.stringify</c> form, written through one thread-static buffer.
/// </summary>
internal static class SpanRecordWriter
{
    /// <summary>The span attribute that carries the computed cost (§4.4).</summary>
    public const string CostAttribute = "gen_ai.usage.cost";

    public readonly record struct Inputs(
        DecodedSpan Span, string AppId, string Type, string Name, string SemanticKind,
        NormalizedFields Fields, double Cost, bool InjectCost, List<string>? Tags);

    public static SpanRecord Write(in Inputs inputs)
    {
        var span = inputs.Span;
        var f = inputs.Fields;
        var startMs = SpanRecord.NanosToMs(span.StartTimeUnixNano);
        var endMs = SpanRecord.NanosToMs(span.EndTimeUnixNano);
        var resource = ResourceColumns.For(span.ResourceAttributes);

        return new SpanRecord
        {
            AppId = inputs.AppId,
            TraceId = span.TraceId,
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            TraceState = span.TraceState,
            Type = inputs.Type,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTime = endMs,
            // No clamping: an end before the start gives a negative duration (reference behaviour).
            Duration = ToStoredInteger(Math.Floor(endMs - startMs)),
            SpanName = inputs.Name,
            SpanKind = span.Kind,
            SemanticKind = inputs.SemanticKind,
            ServiceName = resource.ServiceName,
            ScopeName = span.ScopeName,
            ScopeVersion = span.ScopeVersion,
            StatusCode = span.StatusCode,
            StatusMessage = string.IsNullOrEmpty(span.StatusMessage) ? null : span.StatusMessage,
            Model = f.Model ?? "",
            InputTokens = ToStoredTokens(f.InputTokens),
            OutputTokens = ToStoredTokens(f.OutputTokens),
            TotalTokens = ToStoredTokens(f.TotalTokens),
            ReasoningTokens = ToStoredTokens(f.ReasoningTokens),
            Cost = double.IsFinite(inputs.Cost) ? inputs.Cost : 0,
            Input = f.InputJson ?? (f.Input is null ? null : JsJson.Stringify(f.Input)),
            Output = string.IsNullOrEmpty(f.Output) ? null : f.Output,
            OutputObject = JsValue.IsTruthy(f.OutputObject) ? JsJson.Stringify(f.OutputObject) : null,
            ToolCalls = f.ToolCalls is null ? null : JsJson.Stringify(f.ToolCalls),
            FinishReason = string.IsNullOrEmpty(f.FinishReason) ? null : f.FinishReason,
            Settings = f.SettingsJson ?? (f.Settings is null ? null : JsJson.Stringify(f.Settings)),
            SessionId = f.SessionId ?? "",
            SessionName = f.SessionName ?? "",
            UserId = f.UserId ?? "",
            TraceName = f.TraceName ?? "",
            DatasetRunId = f.DatasetRunId ?? "",
            DatasetRunName = f.DatasetRunName ?? "",
            DatasetPath = f.DatasetPath ?? "",
            DatasetItemName = f.DatasetItemName ?? "",
            DatasetExpectedOutput = f.DatasetExpectedOutput ?? "",
            DatasetInput = f.DatasetInput ?? "",
            ExperimentKey = f.ExperimentKey ?? "",
            SourceTreeHash = f.SourceTreeHash ?? "",
            CommitSha = f.CommitSha ?? "",
            PromptName = f.PromptName ?? "",
            Props = string.IsNullOrEmpty(f.Props) ? null : f.Props,
            Metadata = f.Metadata is { Count: > 0 } metadata ? MetadataJson(metadata) : null,
            Tags = TagExtractor.ToJson(inputs.Tags),
            ResourceAttributes = resource.Json,
            SpanAttributes = AttributeMapJson(span.SpanAttributes, inputs.InjectCost, inputs.Cost),
            Events = EventsJson(span.Events),
            Links = LinksJson(span.Links),
        };
    }

    /// <summary>Unset/0 → 0, fractional → floored, non-finite → 0, out of range → clamped.</summary>
    private static long ToStoredTokens(double? value) => value is { } v ? ToStoredInteger(Math.Floor(v)) : 0;

    private static long ToStoredInteger(double value)
    {
        if (double.IsNaN(value)) return 0;
        if (value >= long.MaxValue) return long.MaxValue;
        if (value <= long.MinValue) return long.MinValue;
        return (long)value;
    }

    private static string MetadataJson(OrderedDictionary<string, string> metadata)
    {
        var sb = JsJson.RentBuilder();
        sb.Append('{');
        var first = true;
        foreach (var (key, value) in metadata)
        {
            if (!first) sb.Append(',');
            first = false;
            JsJsonWriter.WriteString(sb, key);
            sb.Append(':');
            JsJsonWriter.WriteString(sb, value);
        }
        sb.Append('}');
        return JsJson.ReturnBuilder(sb);
    }

    /// <summary>
    /// An attribute map as decoded, absent values omitted. With <paramref name="injectCost"/> the computed
    /// cost is set as <c>gen_ai.usage.cost</c> (JavaScript assignment: an existing key keeps its position).
    /// </summary>
    private static string AttributeMapJson(IReadOnlyDictionary<string, JsonNode?> map, bool injectCost, double cost)
    {
        if (map.Count == 0 && !injectCost) return "{}";
        var sb = JsJson.RentBuilder();
        sb.Append('{');
        var first = true;
        var costWritten = false;
        // The decoders build Dictionary instances: enumerate those without the interface enumerator.
        if (map is Dictionary<string, JsonNode?> dictionary)
        {
            foreach (var (key, value) in dictionary) WriteAttribute(sb, key, value, injectCost, cost, ref first, ref costWritten);
        }
        else
        {
            foreach (var (key, value) in map) WriteAttribute(sb, key, value, injectCost, cost, ref first, ref costWritten);
        }
        if (injectCost && !costWritten)
        {
            if (!first) sb.Append(',');
            JsJsonWriter.WriteString(sb, CostAttribute);
            sb.Append(':');
            JsJsonWriter.WriteNumber(sb, cost);
        }
        sb.Append('}');
        return JsJson.ReturnBuilder(sb);
    }

    private static void WriteAttribute(
        JsonTextBuilder sb, string key, JsonNode? value, bool injectCost, double cost, ref bool first, ref bool costWritten)
    {
        var isCost = injectCost && key == CostAttribute;
        if (value is null && !isCost) return;
        if (!first) sb.Append(',');
        first = false;
        JsJsonWriter.WriteString(sb, key);
        sb.Append(':');
        if (isCost)
        {
            JsJsonWriter.WriteNumber(sb, cost);
            costWritten = true;
        }
        else
        {
            JsJsonWriter.WriteNode(sb, value, JsJsonWriter.NullProperties.Omit);
        }
    }

    /// <summary>
    /// The columns that depend only on the resource attributes. A decoder shares one map between all spans
    /// of a resource, so the last map seen on this thread is remembered with its columns and reused while
    /// it holds the same keys and value instances (checked per span: a map changed in place is recomputed).
    /// Maps holding arrays or kvlists, whose nodes could change without the map changing, are not cached.
    /// </summary>
    private sealed class ResourceColumns
    {
        [ThreadStatic] private static ResourceColumns? t_last;

        private readonly IReadOnlyDictionary<string, JsonNode?> _map;
        private readonly KeyValuePair<string, JsonNode?>[] _entries;

        private ResourceColumns(IReadOnlyDictionary<string, JsonNode?> map, KeyValuePair<string, JsonNode?>[] entries)
        {
            _map = map;
            _entries = entries;
            ServiceName = map.TryGetValue("service.name", out var service) && service is not null
                ? JsonNodeValues.ToJsString(service) : null;
            Json = AttributeMapJson(map, injectCost: false, 0);
        }

        public string? ServiceName { get; }

        public string Json { get; }

        public static ResourceColumns For(IReadOnlyDictionary<string, JsonNode?> map)
        {
            var last = t_last;
            if (last is not null && ReferenceEquals(last._map, map) && last.Matches()) return last;
            var entries = Snapshot(map);
            var columns = new ResourceColumns(map, entries ?? []);
            if (entries is not null) t_last = columns;
            return columns;
        }

        /// <summary>The map's entries, or null when it holds a container value.</summary>
        private static KeyValuePair<string, JsonNode?>[]? Snapshot(IReadOnlyDictionary<string, JsonNode?> map)
        {
            var entries = new KeyValuePair<string, JsonNode?>[map.Count];
            var i = 0;
            foreach (var entry in map)
            {
                if (entry.Value is not (null or JsonValue) || i == entries.Length) return null;
                entries[i++] = entry;
            }
            return i == entries.Length ? entries : null;
        }

        private bool Matches()
        {
            if (_map.Count != _entries.Length) return false;
            var i = 0;
            if (_map is Dictionary<string, JsonNode?> dictionary)
            {
                foreach (var (key, value) in dictionary)
                {
                    if (!ReferenceEquals(key, _entries[i].Key) || !ReferenceEquals(value, _entries[i].Value)) return false;
                    i++;
                }
                return true;
            }
            foreach (var (key, value) in _map)
            {
                if (i == _entries.Length || !ReferenceEquals(key, _entries[i].Key) || !ReferenceEquals(value, _entries[i].Value)) return false;
                i++;
            }
            return i == _entries.Length;
        }
    }

    /// <summary><c>[{timestamp, name, attributes}]</c>; the timestamp is the reference's
    /// <c>floor((ns / 1e6) × 1e6)</c> computed in doubles (§1.11), written as a JavaScript number.</summary>
    private static string EventsJson(IReadOnlyList<SpanEvent> events)
    {
        if (events.Count == 0) return "[]";
        var sb = JsJson.RentBuilder();
        sb.Append('[');
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (i > 0) sb.Append(',');
            sb.Append("{\"timestamp\":");
            JsJsonWriter.WriteNumber(sb, Math.Floor((double)e.TimeUnixNano / 1e6 * 1e6));
            sb.Append(",\"name\":");
            JsJsonWriter.WriteString(sb, e.Name);
            sb.Append(",\"attributes\":");
            JsJsonWriter.WriteAttributeMap(sb, e.Attributes);
            sb.Append('}');
        }
        sb.Append(']');
        return JsJson.ReturnBuilder(sb);
    }

    /// <summary><c>[{traceId, spanId, traceState, attributes}]</c>; <c>traceState</c> is null when empty.</summary>
    private static string LinksJson(IReadOnlyList<SpanLink> links)
    {
        if (links.Count == 0) return "[]";
        var sb = JsJson.RentBuilder();
        sb.Append('[');
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (i > 0) sb.Append(',');
            sb.Append("{\"traceId\":");
            JsJsonWriter.WriteString(sb, link.TraceId);
            sb.Append(",\"spanId\":");
            JsJsonWriter.WriteString(sb, link.SpanId);
            sb.Append(",\"traceState\":");
            if (string.IsNullOrEmpty(link.TraceState)) sb.Append("null");
            else JsJsonWriter.WriteString(sb, link.TraceState);
            sb.Append(",\"attributes\":");
            JsJsonWriter.WriteAttributeMap(sb, link.Attributes);
            sb.Append('}');
        }
        sb.Append(']');
        return JsJson.ReturnBuilder(sb);
    }
}
