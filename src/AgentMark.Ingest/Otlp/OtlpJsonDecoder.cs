using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// OTLP/JSON <c>ExportTraceServiceRequest</c> → <see cref="DecodedSpan"/>s (ingestion §1.8–§1.14), read in
/// one forward pass with <see cref="Utf8JsonReader"/>. JSON object keys may come in any order and repeat
/// (the last one wins, as with JSON.parse), so each object is read into locals before it is used.
/// </summary>
public static class OtlpJsonDecoder
{
    public const string InvalidStructureMessage =
        "Invalid OTLP payload: expected ExportTraceServiceRequest with resourceSpans array";

    private const string InvalidPayloadCode = "invalid_otlp_payload";

    /// <summary>
    /// Decodes a whole request body. Invalid JSON (an empty body included) and a document that is not an
    /// object with a <c>resourceSpans</c> array throw <c>400 invalid_otlp_payload</c>; a bad span is
    /// rejected on its own and counted in the result.
    /// </summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> utf8)
    {
        utf8 = JsonText.SkipBom(utf8);
        if (utf8.IsEmpty) throw new IngestException(400, InvalidPayloadCode, "Invalid JSON: the request body is empty");

        var reader = new Utf8JsonReader(utf8, JsonText.ReaderOptions);
        var sink = new SpanSink();
        var cache = new StringCache();
        var hasResourceSpans = false;
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var mark = sink.Mark();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isResourceSpans = reader.ValueTextEquals("resourceSpans"u8);
                    reader.Read();
                    if (!isResourceSpans)
                    {
                        reader.Skip();
                        continue;
                    }
                    sink.Rollback(mark);
                    hasResourceSpans = reader.TokenType == JsonTokenType.StartArray;
                    if (hasResourceSpans) ReadResourceSpansList(ref reader, sink, cache);
                    else reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
            // Reaches the end of the input: trailing non-whitespace makes this throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new IngestException(400, InvalidPayloadCode, $"Invalid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Safety net: text System.Text.Json refuses to transcode where no lenient path exists.
            throw new IngestException(400, InvalidPayloadCode, $"Invalid JSON: {e.Message}");
        }

        if (!hasResourceSpans) throw new IngestException(400, InvalidPayloadCode, InvalidStructureMessage);
        return sink.ToResult(RejectionTally.OtlpLabels);
    }

    private static void ReadResourceSpansList(ref Utf8JsonReader reader, SpanSink sink, StringCache cache)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject) ReadResourceSpans(ref reader, sink, cache);
            else reader.Skip();
        }
    }

    private static void ReadResourceSpans(ref Utf8JsonReader reader, SpanSink sink, StringCache cache)
    {
        // One map shared by the resource's spans; filled whenever "resource" is met, which may be after
        // "scopeSpans" in the JSON text.
        var resourceAttributes = new Dictionary<string, JsonNode?>();
        var mark = sink.Mark();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("scopeSpans"u8))
            {
                reader.Read();
                sink.Rollback(mark);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject) ReadScopeSpans(ref reader, resourceAttributes, sink, cache);
                    else reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("resource"u8))
            {
                reader.Read();
                resourceAttributes.Clear();
                if (reader.TokenType == JsonTokenType.StartObject) ReadResource(ref reader, resourceAttributes, cache);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadResource(ref Utf8JsonReader reader, Dictionary<string, JsonNode?> attributes, StringCache cache)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAttributes = reader.ValueTextEquals("attributes"u8);
            reader.Read();
            if (!isAttributes)
            {
                reader.Skip();
                continue;
            }
            attributes.Clear();
            OtlpJsonValues.ReadAttributeList(ref reader, attributes, cache);
        }
    }

    private static void ReadScopeSpans(
        ref Utf8JsonReader reader, Dictionary<string, JsonNode?> resourceAttributes, SpanSink sink, StringCache cache)
    {
        string? scopeName = null, scopeVersion = null;
        var mark = sink.Mark();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("spans"u8))
            {
                reader.Read();
                sink.Rollback(mark);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadSpan(ref reader, resourceAttributes, scopeName, scopeVersion, sink, cache);
                    }
                    else
                    {
                        reader.Skip();
                        sink.Reject(RejectReason.NotAnObject);
                    }
                }
            }
            else if (reader.ValueTextEquals("scope"u8))
            {
                reader.Read();
                ReadScope(ref reader, cache, out scopeName, out scopeVersion);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // "scope" may follow "spans" in the text; the spans take the scope read last either way.
        sink.ApplyScope(mark, scopeName, scopeVersion);
    }

    private static void ReadScope(ref Utf8JsonReader reader, StringCache cache, out string? name, out string? version)
    {
        name = version = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = OptionalString(ref reader, cache);
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                reader.Read();
                version = OptionalString(ref reader, cache);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadSpan(
        ref Utf8JsonReader reader, Dictionary<string, JsonNode?> resourceAttributes,
        string? scopeName, string? scopeVersion, SpanSink sink, StringCache cache)
    {
        var traceId = default(IdField);
        var spanId = default(IdField);
        string? parentSpanId = null, traceState = null, statusMessage = null;
        var name = "";
        var kind = "0";
        var statusCode = "0";
        var start = default(NanosField);
        var end = default(NanosField);
        Dictionary<string, JsonNode?>? attributes = null;
        List<SpanEvent>? events = null;
        List<SpanLink>? links = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Ordered by how often the keys occur; each branch leaves the reader on the value's last token.
            if (reader.ValueTextEquals("attributes"u8))
            {
                reader.Read();
                attributes ??= new Dictionary<string, JsonNode?>();
                attributes.Clear();
                OtlpJsonValues.ReadAttributeList(ref reader, attributes, cache);
            }
            else if (reader.ValueTextEquals("traceId"u8)) { reader.Read(); traceId = IdField.Read(ref reader, cache); }
            else if (reader.ValueTextEquals("spanId"u8)) { reader.Read(); spanId = IdField.Read(ref reader, cache: null); }
            else if (reader.ValueTextEquals("parentSpanId"u8)) { reader.Read(); parentSpanId = OptionalString(ref reader, cache); }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = OptionalString(ref reader, cache) ?? ""; }
            else if (reader.ValueTextEquals("kind"u8)) { reader.Read(); kind = ReadKind(ref reader); }
            else if (reader.ValueTextEquals("startTimeUnixNano"u8)) { reader.Read(); start = NanosField.Read(ref reader); }
            else if (reader.ValueTextEquals("endTimeUnixNano"u8)) { reader.Read(); end = NanosField.Read(ref reader); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); ReadStatus(ref reader, out statusCode, out statusMessage); }
            else if (reader.ValueTextEquals("traceState"u8)) { reader.Read(); traceState = OptionalString(ref reader, cache); }
            else if (reader.ValueTextEquals("events"u8)) { reader.Read(); events = ReadEvents(ref reader, cache); }
            else if (reader.ValueTextEquals("links"u8)) { reader.Read(); links = ReadLinks(ref reader, cache); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var reason =
            traceId.State == FieldState.Missing ? RejectReason.TraceIdMissing :
            traceId.State == FieldState.Invalid ? RejectReason.TraceIdInvalid :
            spanId.State == FieldState.Missing ? RejectReason.SpanIdMissing :
            spanId.State == FieldState.Invalid ? RejectReason.SpanIdInvalid :
            start.State == FieldState.Missing ? RejectReason.StartMissing :
            start.State == FieldState.Invalid ? RejectReason.StartInvalid :
            end.State == FieldState.Missing ? RejectReason.EndMissing :
            end.State == FieldState.Invalid ? RejectReason.EndInvalid :
            (RejectReason?)null;
        if (reason is { } r)
        {
            sink.Reject(r);
            return;
        }

        sink.Add(new DecodedSpan
        {
            TraceId = SpanIds.FromString(traceId.Value!, SpanIds.TraceIdBytes),
            SpanId = SpanIds.FromString(spanId.Value!, SpanIds.SpanIdBytes),
            ParentSpanId = SpanIds.ParentFromString(parentSpanId),
            TraceState = string.IsNullOrEmpty(traceState) ? null : traceState,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start.Value,
            EndTimeUnixNano = end.Value,
            StatusCode = statusCode,
            StatusMessage = string.IsNullOrEmpty(statusMessage) ? null : statusMessage,
            ScopeName = scopeName,
            ScopeVersion = scopeVersion,
            ResourceAttributes = resourceAttributes,
            SpanAttributes = attributes ?? AttributeMaps.Empty,
            Events = events is null ? [] : events,
            Links = links is null ? [] : links,
        });
    }

    /// <summary>Status code (number, numeric string, enum or short name; ingestion §1.12) and message.</summary>
    private static void ReadStatus(ref Utf8JsonReader reader, out string code, out string? message)
    {
        code = "0";
        message = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = JsonCodes.StatusCode(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? JsonText.ReadString(ref reader) : null;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Span kind (ingestion §1.13): numbers as their text, enum names mapped; missing → "0".</summary>
    private static string ReadKind(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number: return JsonCodes.NumberText(ref reader);
            case JsonTokenType.String: return WireValues.KindFromString(JsonText.ReadString(ref reader));
            default:
                reader.Skip();
                return "0";
        }
    }

    private static List<SpanEvent>? ReadEvents(ref Utf8JsonReader reader, StringCache cache)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        List<SpanEvent>? events = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var time = default(NanosField);
            var name = "";
            Dictionary<string, JsonNode?>? attributes = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("timeUnixNano"u8)) { reader.Read(); time = NanosField.Read(ref reader); }
                else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = OptionalString(ref reader, cache) ?? ""; }
                else if (reader.ValueTextEquals("attributes"u8))
                {
                    reader.Read();
                    attributes = new Dictionary<string, JsonNode?>();
                    OtlpJsonValues.ReadAttributeList(ref reader, attributes, cache);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            // An event with a missing or unusable time is kept at 0: the span itself is still valid.
            (events ??= []).Add(new SpanEvent(time.Value, name, attributes ?? AttributeMaps.Empty));
        }
        return events;
    }

    private static List<SpanLink>? ReadLinks(ref Utf8JsonReader reader, StringCache cache)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        List<SpanLink>? links = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            string? traceId = null, spanId = null, traceState = null;
            Dictionary<string, JsonNode?>? attributes = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("traceId"u8)) { reader.Read(); traceId = OptionalString(ref reader, cache); }
                else if (reader.ValueTextEquals("spanId"u8)) { reader.Read(); spanId = OptionalString(ref reader, cache); }
                else if (reader.ValueTextEquals("traceState"u8)) { reader.Read(); traceState = OptionalString(ref reader, cache); }
                else if (reader.ValueTextEquals("attributes"u8))
                {
                    reader.Read();
                    attributes = new Dictionary<string, JsonNode?>();
                    OtlpJsonValues.ReadAttributeList(ref reader, attributes, cache);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            (links ??= []).Add(new SpanLink(
                string.IsNullOrEmpty(traceId) ? "" : SpanIds.FromString(traceId, SpanIds.TraceIdBytes),
                string.IsNullOrEmpty(spanId) ? "" : SpanIds.FromString(spanId, SpanIds.SpanIdBytes),
                string.IsNullOrEmpty(traceState) ? null : traceState,
                attributes ?? AttributeMaps.Empty));
        }
        return links;
    }

    /// <summary>A string value, or null for anything else (which is skipped).</summary>
    private static string? OptionalString(ref Utf8JsonReader reader, StringCache cache)
    {
        if (reader.TokenType == JsonTokenType.String) return JsonText.ReadString(ref reader, cache);
        reader.Skip();
        return null;
    }
}
