using System.Text;
using System.Text.Json;

namespace AgentMark.Ingest.Otlp;

internal enum FieldState : byte
{
    Missing,
    Invalid,
    Present,
}

/// <summary>
/// A trace or span id as read from JSON: a non-empty string is present, null/absent/"" is missing, any
/// other JSON type is invalid. Canonicalized (ingestion §1.10) only once the span is accepted.
/// </summary>
internal readonly record struct IdField(FieldState State, string? Value)
{
    /// <param name="cache">For ids that repeat across a batch (trace ids); null for unique ones (span ids).</param>
    public static IdField Read(ref Utf8JsonReader reader, StringCache? cache)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var id = cache is null ? JsonText.ReadString(ref reader) : JsonText.ReadString(ref reader, cache);
                return id.Length == 0 ? default : new IdField(FieldState.Present, id);
            case JsonTokenType.Null:
                return default;
            default:
                reader.Skip();
                return new IdField(FieldState.Invalid, null);
        }
    }
}

/// <summary>
/// Unix nanoseconds (ingestion §1.11): a JSON string of digits or a JSON number, read as an exact
/// integer (never through double). Negative, fractional or above int64 is invalid.
/// </summary>
internal readonly record struct NanosField(FieldState State, long Value)
{
    private static readonly NanosField Invalid = new(FieldState.Invalid, 0);

    public static NanosField Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer)) return integer >= 0 ? new(FieldState.Present, integer) : Invalid;
                // 1.795e18 or 1000.0: exact through decimal, which keeps 28 significant digits.
                return reader.TryGetDecimal(out var d) && WireValues.TryNanosFromDecimal(d, out var fromDecimal)
                    ? new(FieldState.Present, fromDecimal)
                    : Invalid;
            case JsonTokenType.String:
                var digits = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(JsonText.ReadString(ref reader)) : reader.ValueSpan;
                return WireValues.TryParseNanosDigits(digits, out var nanos) ? new(FieldState.Present, nanos) : Invalid;
            case JsonTokenType.Null:
                return default;
            default:
                reader.Skip();
                return Invalid;
        }
    }
}

/// <summary>Status and kind values read from JSON tokens.</summary>
internal static class JsonCodes
{
    /// <summary>
    /// Status code (ingestion §1.12): strings through the name table, numbers as JsString(n) (so 1 and
    /// 1.0 are "1"), null → "0", anything else JsString of the value (stored raw, read back as UNSET).
    /// </summary>
    public static string StatusCode(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => NumberText(ref reader),
        JsonTokenType.String => WireValues.StatusFromString(JsonText.ReadString(ref reader)),
        JsonTokenType.Null => "0",
        _ => AgentMark.Core.Json.JsFormat.JsString(System.Text.Json.Nodes.JsonNode.Parse(ref reader)),
    };

    /// <summary>A JSON number as JavaScript's String(n) writes it.</summary>
    public static string NumberText(ref Utf8JsonReader reader) =>
        reader.TryGetInt64(out var l) ? WireValues.IntegerText(l) : AgentMark.Core.Json.JsFormat.NumberToString(OtlpJsonValues.ReadDouble(ref reader));
}
