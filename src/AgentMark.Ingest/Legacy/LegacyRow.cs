using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Legacy;

/// <summary>One legacy row as read (keys in any order, the last duplicate wins), then turned into a span.</summary>
internal sealed class LegacyRow
{
    private const string EndTimeKey = "end_time";
    private const string ServiceNameKey = "service.name";
    private const decimal NanosPerMilli = 1_000_000m;

    private delegate T ElementReader<T>(ref Utf8JsonReader reader, StringCache cache);

    private IdField _traceId, _spanId;
    private NanosField _timestamp, _endTime;
    private decimal? _durationMs;
    private string? _parentSpanId, _traceState, _serviceName, _statusMessage;
    private string _spanName = "", _kind = "0", _statusCode = "0";
    private Dictionary<string, JsonNode?>? _resourceAttributes, _spanAttributes;
    private List<NanosField>? _eventTimes;
    private List<string>? _eventNames;
    private List<IReadOnlyDictionary<string, JsonNode?>>? _eventAttributes;
    private List<string?>? _linkTraceIds, _linkSpanIds, _linkTraceStates;
    private List<IReadOnlyDictionary<string, JsonNode?>>? _linkAttributes;

    /// <summary>Reads the row object the reader is on.</summary>
    public static LegacyRow Read(ref Utf8JsonReader reader, StringCache cache)
    {
        var row = new LegacyRow();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Key spans point into the request buffer, which outlives the reader.
            ReadOnlySpan<byte> key = reader.ValueIsEscaped
                ? System.Text.Encoding.UTF8.GetBytes(JsonText.ReadString(ref reader))
                : reader.ValueSpan;
            reader.Read();
            row.ReadField(ref reader, cache, key);
        }
        return row;
    }

    private void ReadField(ref Utf8JsonReader reader, StringCache cache, ReadOnlySpan<byte> key)
    {
        if (key.SequenceEqual("SpanAttributes"u8)) _spanAttributes = ReadAttributeMap(ref reader, cache, extractEndTime: true);
        else if (key.SequenceEqual("TraceId"u8)) _traceId = IdField.Read(ref reader, cache);
        else if (key.SequenceEqual("SpanId"u8)) _spanId = IdField.Read(ref reader, cache: null);
        else if (key.SequenceEqual("ParentSpanId"u8)) _parentSpanId = OptionalString(ref reader, cache);
        else if (key.SequenceEqual("Timestamp"u8)) _timestamp = NanosField.Read(ref reader);
        else if (key.SequenceEqual("SpanName"u8)) _spanName = OptionalString(ref reader, cache) ?? "";
        else if (key.SequenceEqual("SpanKind"u8)) _kind = ReadKind(ref reader);
        else if (key.SequenceEqual("Duration"u8)) _durationMs = reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var d) ? d : null;
        else if (key.SequenceEqual("StatusCode"u8)) _statusCode = JsonCodes.StatusCode(ref reader);
        else if (key.SequenceEqual("StatusMessage"u8)) _statusMessage = OptionalString(ref reader, cache);
        else if (key.SequenceEqual("TraceState"u8)) _traceState = OptionalString(ref reader, cache);
        else if (key.SequenceEqual("ServiceName"u8)) _serviceName = OptionalString(ref reader, cache);
        else if (key.SequenceEqual("ResourceAttributes"u8)) _resourceAttributes = ReadAttributeMap(ref reader, cache, extractEndTime: false);
        else if (key.SequenceEqual("Events.Timestamp"u8)) _eventTimes = ReadList(ref reader, cache, static (ref Utf8JsonReader r, StringCache _) => NanosField.Read(ref r));
        else if (key.SequenceEqual("Events.Name"u8)) _eventNames = ReadList(ref reader, cache, static (ref Utf8JsonReader r, StringCache c) => OptionalString(ref r, c) ?? "");
        else if (key.SequenceEqual("Events.Attributes"u8)) _eventAttributes = ReadList<IReadOnlyDictionary<string, JsonNode?>>(ref reader, cache, ReadNestedMap);
        else if (key.SequenceEqual("Links.TraceId"u8)) _linkTraceIds = ReadList<string?>(ref reader, cache, OptionalString);
        else if (key.SequenceEqual("Links.SpanId"u8)) _linkSpanIds = ReadList<string?>(ref reader, cache, OptionalString);
        else if (key.SequenceEqual("Links.TraceState"u8)) _linkTraceStates = ReadList<string?>(ref reader, cache, OptionalString);
        else if (key.SequenceEqual("Links.Attributes"u8)) _linkAttributes = ReadList<IReadOnlyDictionary<string, JsonNode?>>(ref reader, cache, ReadNestedMap);
        // Duration's number (if any) was read in place; everything else unknown is skipped.
        reader.Skip();
    }

    public void AddTo(SpanSink sink)
    {
        var reason =
            _traceId.State == FieldState.Missing ? RejectReason.TraceIdMissing :
            _traceId.State == FieldState.Invalid ? RejectReason.TraceIdInvalid :
            _spanId.State == FieldState.Missing ? RejectReason.SpanIdMissing :
            _spanId.State == FieldState.Invalid ? RejectReason.SpanIdInvalid :
            _timestamp.State == FieldState.Missing ? RejectReason.StartMissing :
            _timestamp.State == FieldState.Invalid ? RejectReason.StartInvalid :
            (RejectReason?)null;
        if (reason is { } r)
        {
            sink.Reject(r);
            return;
        }

        sink.Add(new DecodedSpan
        {
            TraceId = SpanIds.FromString(_traceId.Value!, SpanIds.TraceIdBytes),
            SpanId = SpanIds.FromString(_spanId.Value!, SpanIds.SpanIdBytes),
            ParentSpanId = SpanIds.ParentFromString(_parentSpanId),
            // The SDK serializes a trace-state object here when there is one; only text is usable.
            TraceState = string.IsNullOrEmpty(_traceState) ? null : _traceState,
            Name = _spanName,
            Kind = _kind,
            StartTimeUnixNano = _timestamp.Value,
            EndTimeUnixNano = _endTime.State == FieldState.Present ? _endTime.Value : FallbackEnd(_timestamp.Value, _durationMs),
            StatusCode = _statusCode,
            StatusMessage = string.IsNullOrEmpty(_statusMessage) ? null : _statusMessage,
            ScopeName = LegacyRowDecoder.ScopeName,
            ScopeVersion = null,
            ResourceAttributes = ResourceAttributes(),
            SpanAttributes = _spanAttributes ?? AttributeMaps.Empty,
            Events = Events(),
            Links = Links(),
        });
    }

    /// <summary>Without <c>end_time</c>: Timestamp + Duration ms (the start itself when Duration is unusable).</summary>
    private static long FallbackEnd(long start, decimal? durationMs)
    {
        if (durationMs is not { } ms) return start;
        try
        {
            var end = start + decimal.Floor(ms * NanosPerMilli);
            return end is >= long.MinValue and <= long.MaxValue ? (long)end : start;
        }
        catch (OverflowException)
        {
            return start;
        }
    }

    /// <summary>The row's ServiceName is the resource's service.name; kept there when the map lacks it.</summary>
    private IReadOnlyDictionary<string, JsonNode?> ResourceAttributes()
    {
        if (string.IsNullOrEmpty(_serviceName)) return _resourceAttributes ?? AttributeMaps.Empty;
        var map = _resourceAttributes ?? new Dictionary<string, JsonNode?>(1);
        map.TryAdd(ServiceNameKey, JsonValue.Create(_serviceName));
        return map;
    }

    /// <summary><c>Events.*</c> arrays zipped by index; a shorter array leaves defaults.</summary>
    private IReadOnlyList<SpanEvent> Events()
    {
        var count = Math.Max(_eventTimes?.Count ?? 0, Math.Max(_eventNames?.Count ?? 0, _eventAttributes?.Count ?? 0));
        if (count == 0) return [];
        var events = new SpanEvent[count];
        for (var i = 0; i < count; i++)
        {
            var time = _eventTimes is not null && i < _eventTimes.Count ? _eventTimes[i].Value : 0;
            var name = _eventNames is not null && i < _eventNames.Count ? _eventNames[i] : "";
            var attributes = _eventAttributes is not null && i < _eventAttributes.Count ? _eventAttributes[i] : AttributeMaps.Empty;
            events[i] = new SpanEvent(time, name, attributes);
        }
        return events;
    }

    /// <summary><c>Links.*</c> arrays zipped by index.</summary>
    private IReadOnlyList<SpanLink> Links()
    {
        var count = Math.Max(
            Math.Max(_linkTraceIds?.Count ?? 0, _linkSpanIds?.Count ?? 0),
            Math.Max(_linkTraceStates?.Count ?? 0, _linkAttributes?.Count ?? 0));
        if (count == 0) return [];
        var links = new SpanLink[count];
        for (var i = 0; i < count; i++)
        {
            var traceId = At(_linkTraceIds, i);
            var spanId = At(_linkSpanIds, i);
            var traceState = At(_linkTraceStates, i);
            links[i] = new SpanLink(
                string.IsNullOrEmpty(traceId) ? "" : SpanIds.FromString(traceId, SpanIds.TraceIdBytes),
                string.IsNullOrEmpty(spanId) ? "" : SpanIds.FromString(spanId, SpanIds.SpanIdBytes),
                string.IsNullOrEmpty(traceState) ? null : traceState,
                _linkAttributes is not null && i < _linkAttributes.Count ? _linkAttributes[i] : AttributeMaps.Empty);
        }
        return links;
    }

    private static string? At(List<string?>? list, int i) => list is not null && i < list.Count ? list[i] : null;

    /// <summary>SpanKind is the OpenTelemetry JS enum (0 = INTERNAL); stored kinds use OTLP numbering (+1).</summary>
    private static string ReadKind(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number) return "0";
        if (reader.TryGetInt64(out var kind)) return kind < long.MaxValue ? WireValues.IntegerText(kind + 1) : "0";
        return reader.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d < long.MaxValue
            ? WireValues.IntegerText((long)d + 1)
            : "0";
    }

    /// <summary>
    /// A plain JSON attribute object (legacy-sdk-endpoints.md): values converted by
    /// <see cref="PlainJson.ReadNode"/>, JSON null kept as a null entry, unusable keys skipped. For
    /// SpanAttributes the <c>end_time</c> key is the span end and is taken out of the map.
    /// </summary>
    private Dictionary<string, JsonNode?>? ReadAttributeMap(ref Utf8JsonReader reader, StringCache cache, bool extractEndTime)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return null;
        var map = new Dictionary<string, JsonNode?>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = JsonText.ReadString(ref reader, cache);
            reader.Read();
            if (extractEndTime && key == EndTimeKey)
            {
                _endTime = NanosField.Read(ref reader);
                reader.Skip();
                continue;
            }
            var value = PlainJson.ReadNode(ref reader, cache);
            if (AttributeMaps.IsUsableKey(key)) map[key] = value;
        }
        return map;
    }

    private static IReadOnlyDictionary<string, JsonNode?> ReadNestedMap(ref Utf8JsonReader reader, StringCache cache)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return AttributeMaps.Empty;
        }
        var map = new Dictionary<string, JsonNode?>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = JsonText.ReadString(ref reader, cache);
            reader.Read();
            var value = PlainJson.ReadNode(ref reader, cache);
            if (AttributeMaps.IsUsableKey(key)) map[key] = value;
        }
        return map;
    }

    /// <summary>A JSON array read element by element; anything else (skipped) is no list.</summary>
    private static List<T>? ReadList<T>(ref Utf8JsonReader reader, StringCache cache, ElementReader<T> read)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return null;
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(read(ref reader, cache));
        return list;
    }

    private static string? OptionalString(ref Utf8JsonReader reader, StringCache cache)
    {
        if (reader.TokenType == JsonTokenType.String) return JsonText.ReadString(ref reader, cache);
        reader.Skip();
        return null;
    }
}
