using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;
using AgentMark.Normalization.Text;

namespace AgentMark.Normalization.Tags;

/// <summary>
/// Tags of a span from <c>agentmark.tags</c> (ingestion §2.13): an OTLP array, a JSON-array string (what
/// the AgentMark grouping processor sends) or a comma-separated list.
/// </summary>
internal static class TagExtractor
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 100;

    /// <summary>The span's tags; null when it has none to read (most spans: no list is allocated).</summary>
    public static List<string>? Extract(AttributeView a)
    {
        var value = a["agentmark.tags"];
        if (value is null) return null;
        var tags = new List<string>();
        switch (value)
        {
            case JsArray array:
                AddElements(tags, array);
                break;
            default:
                if (value is not string { Length: > 0 } text) break;
                if (JsJson.TryParse(text, out var parsed))
                {
                    // Any JSON value that is not an array is one tag, quotes and all: "\"prod\"" → "prod" with quotes.
                    if (parsed is JsArray parsedArray) AddElements(tags, parsedArray);
                    else Add(tags, text);
                }
                else
                {
                    foreach (var piece in text.Split(',')) Add(tags, piece);
                }
                break;
        }
        return tags;
    }

    private static void AddElements(List<string> tags, JsArray array)
    {
        foreach (var element in array) Add(tags, JsValue.ToJsString(element));
    }

    /// <summary>Trims; keeps non-empty tags of at most 100 characters, up to 20 (duplicates kept).</summary>
    private static void Add(List<string> tags, string tag)
    {
        if (tags.Count >= MaxTags) return;
        tag = JsText.Trim(tag);
        if (tag.Length == 0 || tag.Length > MaxTagLength) return;
        tags.Add(tag);
    }

    public static string ToJson(List<string>? tags)
    {
        if (tags is null || tags.Count == 0) return "[]";
        var sb = new JsonTextBuilder(64);
        sb.Append('[');
        for (var i = 0; i < tags.Count; i++)
        {
            if (i > 0) sb.Append(',');
            JsJsonWriter.WriteString(sb, tags[i]);
        }
        sb.Append(']');
        return sb.ToString();
    }
}
