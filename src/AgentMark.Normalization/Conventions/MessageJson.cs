using System.Text;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>Small message-shape helpers (ingestion §2.12) shared by the conventions.</summary>
internal static class MessageJson
{
    public static JsObject Create(string role, object? content) => new(2) { ["role"] = role, ["content"] = content };

    /// <summary>
    /// <c>[{role:"user", content: s}]</c> unless <paramref name="text"/> is a non-empty JSON array whose
    /// every element is an object having both <c>role</c> and <c>content</c>, which is used as-is
    /// (the AgentMark SDK's <c>ParseLooseInput</c>).
    /// </summary>
    public static JsArray ParseLooseInput(string text)
    {
        if (JsJson.TryParse(text, out var parsed) && parsed is JsArray { Count: > 0 } array && AllMessageLike(array))
        {
            return array;
        }
        return new JsArray(Create("user", text));
    }

    private static bool AllMessageLike(JsArray array)
    {
        foreach (var element in array)
        {
            if (element is not JsObject o || !o.ContainsKey("role") || !o.ContainsKey("content")) return false;
        }
        return true;
    }

    /// <summary>True when the first message is an object whose role is the string "system".</summary>
    public static bool StartsWithSystemMessage(JsArray? messages)
        => messages is { Count: > 0 } && JsValue.Prop(messages[0], "role") is "system";

    /// <summary>Prepends <c>{role:"system", content}</c> unless the input already starts with a system message.</summary>
    public static JsArray PrependSystem(JsArray? input, string content)
    {
        if (StartsWithSystemMessage(input)) return input!;
        input ??= new JsArray(1);
        input.Insert(0, Create("system", content));
        return input;
    }

    /// <summary>
    /// The <c>content</c> values of the parts whose <c>type</c> is "text", joined with newlines. With
    /// <paramref name="requireStringContent"/> only string contents count (AgentMark SDK); otherwise any
    /// truthy content counts and is converted with <c>String(v)</c> (OTel GenAI).
    /// </summary>
    public static string TextOfParts(JsArray parts, bool requireStringContent)
    {
        StringBuilder? sb = null;
        string? single = null;
        foreach (var part in parts)
        {
            if (JsValue.Prop(part, "type") is not "text") continue;
            var content = JsValue.Prop(part, "content");
            string text;
            if (requireStringContent)
            {
                if (content is not string s) continue;
                text = s;
            }
            else
            {
                if (!JsValue.IsTruthy(content)) continue;
                text = JsValue.ToJsString(content);
            }
            if (single is null && sb is null)
            {
                single = text;
                continue;
            }
            sb ??= new StringBuilder(single);
            sb.Append('\n').Append(text);
        }
        return sb?.ToString() ?? single ?? "";
    }
}
