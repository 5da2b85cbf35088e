using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentMark.Ingest.Otlp;

/// <summary>OTLP/JSON attribute lists and AnyValue (ingestion §1.9), read from a <see cref="Utf8JsonReader"/>.</summary>
internal static class OtlpJsonValues
{
    // AnyValue fields in precedence order: the first one present decides the value.
    private const int StringField = 0, IntField = 1, DoubleField = 2, BoolField = 3, ArrayField = 4, BytesField = 5, KvlistField = 6;
    private const int FieldCount = 7;

    [InlineArray(FieldCount)]
    private struct FieldValues
    {
        private JsonNode? _element;
    }

    /// <summary>
    /// Reads an attribute list (the reader is on its value) into <paramref name="target"/>: unusable keys
    /// skipped, the last duplicate wins. Anything but an array counts as no attributes.
    /// </summary>
    public static void ReadAttributeList(ref Utf8JsonReader reader, Dictionary<string, JsonNode?> target, StringCache cache)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var key = ReadKeyValue(ref reader, cache, out var value);
            if (key is not null) target[key] = value;
        }
    }

    /// <summary>Reads one <c>{key, value}</c> object; returns null when the key is not usable.</summary>
    private static string? ReadKeyValue(ref Utf8JsonReader reader, StringCache cache, out JsonNode? value)
    {
        string? key = null;
        value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("key"u8))
            {
                reader.Read();
                key = reader.TokenType == JsonTokenType.String ? JsonText.ReadString(ref reader, cache) : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                value = ReadAnyValue(ref reader, cache);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return AttributeMaps.IsUsableKey(key) ? key : null;
    }

    /// <summary>
    /// Converts an AnyValue object (the reader is on it) by the first field present in precedence order;
    /// null when none is (or the value is not an object). Fields holding JSON null count as absent.
    /// </summary>
    public static JsonNode? ReadAnyValue(ref Utf8JsonReader reader, StringCache cache)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        FieldValues values = default;
        var present = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            reader.Read();
            if (field < 0)
            {
                reader.Skip();
                continue;
            }
            // A repeated field replaces the earlier one (JSON.parse keeps the last), even when it is absent.
            if (TryReadField(ref reader, field, cache, out var node))
            {
                values[field] = node;
                present |= 1 << field;
            }
            else
            {
                values[field] = null;
                present &= ~(1 << field);
            }
        }
        return present == 0 ? null : values[BitOperations.TrailingZeroCount(present)];
    }

    private static int FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("stringValue"u8)) return StringField;
        if (reader.ValueTextEquals("intValue"u8)) return IntField;
        if (reader.ValueTextEquals("doubleValue"u8)) return DoubleField;
        if (reader.ValueTextEquals("boolValue"u8)) return BoolField;
        if (reader.ValueTextEquals("arrayValue"u8)) return ArrayField;
        if (reader.ValueTextEquals("bytesValue"u8)) return BytesField;
        if (reader.ValueTextEquals("kvlistValue"u8)) return KvlistField;
        return -1;
    }

    /// <summary>False when the field is absent: JSON null, or an array/kvlist without a <c>values</c> array.</summary>
    private static bool TryReadField(ref Utf8JsonReader reader, int field, StringCache cache, out JsonNode? node)
    {
        node = null;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null) return false;
        switch (field)
        {
            case IntField when token == JsonTokenType.Number:
                node = NumberNode(ref reader);
                return true;
            case IntField when token == JsonTokenType.String:
                node = WireValues.ParseIntLikeJavaScript(JsonText.ReadString(ref reader));
                return true;
            case DoubleField when token == JsonTokenType.Number:
                node = JsonValue.Create(ReadDouble(ref reader));
                return true;
            case DoubleField when token == JsonTokenType.String:
                node = JsonValue.Create(DoubleFromString(JsonText.ReadString(ref reader)));
                return true;
            case ArrayField or KvlistField:
                if (token != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    return false;
                }
                return TryReadValuesWrapper(ref reader, field == KvlistField, cache, out node);
            default:
                // stringValue/bytesValue strings, boolValue booleans, and a wrong JSON type in any field:
                // the reference returns whatever the field holds, so scalars pass through as they are.
                node = ScalarNode(ref reader);
                return true;
        }
    }

    /// <summary>
    /// <c>arrayValue</c> / <c>kvlistValue</c>: present only with a <c>values</c> array. A kvlist becomes a
    /// JsonObject (same key rules as attributes; an absent value leaves its key out).
    /// </summary>
    private static bool TryReadValuesWrapper(ref Utf8JsonReader reader, bool kvlist, StringCache cache, out JsonNode? node)
    {
        node = null;
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isValues = reader.ValueTextEquals("values"u8);
            reader.Read();
            if (!isValues)
            {
                reader.Skip();
                continue;
            }
            found = reader.TokenType == JsonTokenType.StartArray;
            node = !found ? null : kvlist ? ReadKvlist(ref reader, cache) : ReadArray(ref reader, cache);
            if (!found) reader.Skip();
        }
        return found;
    }

    private static JsonArray ReadArray(ref Utf8JsonReader reader, StringCache cache)
    {
        var array = new JsonArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // An element without a value is JSON null inside an array (JSON.stringify writes undefined so).
            array.Add(ReadAnyValue(ref reader, cache));
        }
        return array;
    }

    private static JsonObject ReadKvlist(ref Utf8JsonReader reader, StringCache cache)
    {
        var obj = new JsonObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var key = ReadKeyValue(ref reader, cache, out var value);
            if (key is null) continue;
            if (value is null) obj.Remove(key);
            else obj[key] = value;
        }
        return obj;
    }

    /// <summary>A scalar token as a value node; objects and arrays (skipped) give null.</summary>
    private static JsonNode? ScalarNode(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return JsonValue.Create(JsonText.ReadString(ref reader));
            case JsonTokenType.Number: return NumberNode(ref reader);
            case JsonTokenType.True: return JsonValue.Create(true);
            case JsonTokenType.False: return JsonValue.Create(false);
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>A JSON number: int64 when the token is an integer that fits, otherwise a double.</summary>
    public static JsonValue NumberNode(ref Utf8JsonReader reader) =>
        reader.TryGetInt64(out var l) ? JsonValue.Create(l) : JsonValue.Create(ReadDouble(ref reader));

    /// <summary>A JSON number as a double; out-of-range literals become ±Infinity, as in JSON.parse.</summary>
    public static double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TryGetDouble(out var d)) return d;
        return reader.ValueSpan[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>Proto3 JSON allows doubles as strings, including NaN and ±Infinity; unparsable text is NaN.</summary>
    private static double DoubleFromString(string s) => s switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN,
    };
}
