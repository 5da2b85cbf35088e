using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Legacy;

/// <summary>Plain JSON values of legacy rows as decoded attribute values.</summary>
internal static class PlainJson
{
    /// <summary>
    /// string → string, integral number within int64 → long (exact, from the raw token), other numbers →
    /// double, booleans, arrays and objects recursively (nested keys verbatim), JSON null → null.
    /// </summary>
    public static JsonNode? ReadNode(ref Utf8JsonReader reader, StringCache cache)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return JsonValue.Create(JsonText.ReadString(ref reader));
            case JsonTokenType.Number:
                return OtlpJsonValues.NumberNode(ref reader);
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) array.Add(ReadNode(ref reader, cache));
                return array;
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = JsonText.ReadString(ref reader, cache);
                    reader.Read();
                    obj[key] = ReadNode(ref reader, cache);
                }
                return obj;
            default:
                return null;
        }
    }
}
