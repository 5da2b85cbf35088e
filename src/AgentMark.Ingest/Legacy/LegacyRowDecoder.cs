using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Legacy;

/// <summary>
/// The row format of the published <c>@agentmark/sdk</c> 4.x, posted to <c>POST /v1/export-traces</c>
/// (legacy-sdk-endpoints.md): a JSON array with one object per span, keys spelled <c>TraceId</c>,
/// <c>SpanAttributes</c>, <c>Events.Name</c> and so on. Every row becomes a span of scope <c>ai</c>.
/// </summary>
public static class LegacyRowDecoder
{
    /// <summary>Both the SDK's tracer and the Vercel AI SDK telemetry it exports are named so.</summary>
    public const string ScopeName = "ai";

    private const string InvalidBodyCode = "invalid_request_body";

    /// <summary>
    /// Decodes a whole request body. Not JSON, or not an array → <c>400 invalid_request_body</c>; a
    /// non-object element or a row without a usable TraceId, SpanId or Timestamp is rejected and counted.
    /// </summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> utf8)
    {
        utf8 = JsonText.SkipBom(utf8);
        if (utf8.IsEmpty) throw new IngestException(400, InvalidBodyCode, "Request body is empty; expected a JSON array of span rows");

        var reader = new Utf8JsonReader(utf8, JsonText.ReaderOptions);
        var sink = new SpanSink();
        var cache = new StringCache();
        bool isArray;
        try
        {
            reader.Read();
            isArray = reader.TokenType == JsonTokenType.StartArray;
            if (isArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        LegacyRow.Read(ref reader, cache).AddTo(sink);
                    }
                    else
                    {
                        reader.Skip();
                        sink.Reject(RejectReason.NotAnObject);
                    }
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
            throw new IngestException(400, InvalidBodyCode, $"Request body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Safety net: text System.Text.Json refuses to transcode where no lenient path exists.
            throw new IngestException(400, InvalidBodyCode, $"Request body is not valid JSON: {e.Message}");
        }

        if (!isArray) throw new IngestException(400, InvalidBodyCode, "Request body must be a JSON array of span rows");
        return sink.ToResult(RejectionTally.LegacyLabels);
    }
}
