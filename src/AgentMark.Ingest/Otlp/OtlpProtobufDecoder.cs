using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp.Proto.Collector.Trace.V1;
using AgentMark.Ingest.Otlp.Proto.Common.V1;
using Google.Protobuf;
using Google.Protobuf.Collections;
using ProtoSpan = AgentMark.Ingest.Otlp.Proto.Trace.V1.Span;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// Binary OTLP <c>ExportTraceServiceRequest</c> → <see cref="DecodedSpan"/>s (ingestion §1.8–§1.14):
/// bytes ids as lower-case hex, int64 attributes as long, bytes attributes as base64 text.
/// </summary>
public static class OtlpProtobufDecoder
{
    private const string DecodeFailedCode = "protobuf_decode_failed";

    /// <summary>
    /// Decodes a whole request body (an empty body is a valid request without spans). Undecodable input
    /// throws <c>400 protobuf_decode_failed</c> with <c>Failed to decode protobuf: &lt;decoder message&gt;</c>.
    /// </summary>
    public static DecodeResult Decode(ReadOnlyMemory<byte> body)
    {
        ExportTraceServiceRequest request;
        try
        {
            request = ExportTraceServiceRequest.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new IngestException(400, DecodeFailedCode, $"Failed to decode protobuf: {e.Message}");
        }

        var sink = new SpanSink();
        var traceIds = new LastIdCache();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            // Shared by every span of the resource, as in the reference converter.
            var resourceAttributes = ToMap(resourceSpans.Resource?.Attributes);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                // proto3 cannot tell an empty string from an unset one: both are "no name".
                var scopeName = NullIfEmpty(scopeSpans.Scope?.Name);
                var scopeVersion = NullIfEmpty(scopeSpans.Scope?.Version);
                foreach (var span in scopeSpans.Spans)
                {
                    if (Rejection(span) is { } reason)
                    {
                        sink.Reject(reason);
                        continue;
                    }
                    sink.Add(ToDecodedSpan(span, resourceAttributes, scopeName, scopeVersion, traceIds));
                }
            }
        }
        return sink.ToResult(RejectionTally.OtlpLabels);
    }

    /// <summary>
    /// Zero-length ids and times beyond int64 are rejected; a time of 0 is a valid integer. Binary ids
    /// must have OTLP's sizes (16-byte trace, 8-byte span): a wrong-length id cannot be a real span and
    /// would never match its parent or children, so it is rejected rather than stored as odd hex.
    /// </summary>
    private const int TraceIdBytes = 16;
    private const int SpanIdBytes = 8;

    private static RejectReason? Rejection(ProtoSpan span) =>
        span.TraceId.IsEmpty ? RejectReason.TraceIdMissing :
        span.TraceId.Length != TraceIdBytes ? RejectReason.TraceIdInvalid :
        span.SpanId.IsEmpty ? RejectReason.SpanIdMissing :
        span.SpanId.Length != SpanIdBytes ? RejectReason.SpanIdInvalid :
        span.StartTimeUnixNano > long.MaxValue ? RejectReason.StartInvalid :
        span.EndTimeUnixNano > long.MaxValue ? RejectReason.EndInvalid :
        null;

    private static DecodedSpan ToDecodedSpan(
        ProtoSpan span, IReadOnlyDictionary<string, JsonNode?> resourceAttributes,
        string? scopeName, string? scopeVersion, LastIdCache traceIds) => new()
    {
        TraceId = traceIds.Hex(span.TraceId),
        SpanId = SpanIds.FromBytes(span.SpanId.Span),
        ParentSpanId = SpanIds.ParentFromBytes(span.ParentSpanId.Span),
        TraceState = NullIfEmpty(span.TraceState),
        Name = span.Name,
        // Unknown enum numbers survive parsing as the raw integer.
        Kind = WireValues.IntegerText((int)span.Kind),
        StartTimeUnixNano = (long)span.StartTimeUnixNano,
        EndTimeUnixNano = (long)span.EndTimeUnixNano,
        StatusCode = span.Status is null ? "0" : WireValues.IntegerText((int)span.Status.Code),
        StatusMessage = NullIfEmpty(span.Status?.Message),
        ScopeName = scopeName,
        ScopeVersion = scopeVersion,
        ResourceAttributes = resourceAttributes,
        SpanAttributes = ToMap(span.Attributes),
        Events = ToEvents(span.Events),
        Links = ToLinks(span.Links),
    };

    private static IReadOnlyList<SpanEvent> ToEvents(RepeatedField<ProtoSpan.Types.Event> events)
    {
        if (events.Count == 0) return [];
        var result = new SpanEvent[events.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var e = events[i];
            // Beyond int64 cannot be stored; the event is kept at 0 like an unusable JSON time.
            var time = e.TimeUnixNano > long.MaxValue ? 0 : (long)e.TimeUnixNano;
            result[i] = new SpanEvent(time, e.Name, ToMap(e.Attributes));
        }
        return result;
    }

    private static IReadOnlyList<SpanLink> ToLinks(RepeatedField<ProtoSpan.Types.Link> links)
    {
        if (links.Count == 0) return [];
        var result = new SpanLink[links.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var l = links[i];
            result[i] = new SpanLink(
                SpanIds.FromBytes(l.TraceId.Span), SpanIds.FromBytes(l.SpanId.Span), NullIfEmpty(l.TraceState), ToMap(l.Attributes));
        }
        return result;
    }

    /// <summary>Attribute list → map: unusable keys skipped, last duplicate wins (ingestion §1.9).</summary>
    private static IReadOnlyDictionary<string, JsonNode?> ToMap(RepeatedField<KeyValue>? attributes)
    {
        if (attributes is null || attributes.Count == 0) return AttributeMaps.Empty;
        var map = new Dictionary<string, JsonNode?>(attributes.Count);
        foreach (var kv in attributes)
        {
            if (AttributeMaps.IsUsableKey(kv.Key)) map[kv.Key] = ToNode(kv.Value);
        }
        return map;
    }

    private static JsonNode? ToNode(AnyValue? value)
    {
        if (value is null) return null;
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue: return JsonValue.Create(value.StringValue);
            case AnyValue.ValueOneofCase.IntValue: return JsonValue.Create(value.IntValue);
            case AnyValue.ValueOneofCase.DoubleValue: return JsonValue.Create(value.DoubleValue);
            case AnyValue.ValueOneofCase.BoolValue: return JsonValue.Create(value.BoolValue);
            case AnyValue.ValueOneofCase.BytesValue: return JsonValue.Create(value.BytesValue.ToBase64());
            case AnyValue.ValueOneofCase.ArrayValue:
                var array = new JsonArray();
                foreach (var element in value.ArrayValue.Values) array.Add(ToNode(element));
                return array;
            case AnyValue.ValueOneofCase.KvlistValue:
                var obj = new JsonObject();
                foreach (var kv in value.KvlistValue.Values)
                {
                    if (!AttributeMaps.IsUsableKey(kv.Key)) continue;
                    // An absent value leaves the key out, as JSON.stringify drops undefined.
                    if (ToNode(kv.Value) is { } node) obj[kv.Key] = node;
                    else obj.Remove(kv.Key);
                }
                return obj;
            default:
                return null;
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>Spans of one trace usually arrive together: reuse the hex of the previous trace id.</summary>
    private sealed class LastIdCache
    {
        private ByteString? _bytes;
        private string _hex = "";

        public string Hex(ByteString id)
        {
            if (_bytes is not null && _bytes.Span.SequenceEqual(id.Span)) return _hex;
            _bytes = id;
            _hex = SpanIds.FromBytes(id.Span);
            return _hex;
        }
    }
}
