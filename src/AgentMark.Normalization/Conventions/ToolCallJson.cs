using System.Text.Json.Nodes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>The span-level ToolCall shape of ingestion §2.12, in its property order.</summary>
internal static class ToolCallJson
{
    public const string ToolCallType = "tool-call";

    /// <summary><c>{type:"tool-call", toolCallId, toolName, args, result?}</c>. Nodes must be unparented.</summary>
    public static JsonObject Create(JsonNode? toolCallId, string toolName, JsonNode? args, string? result)
    {
        var call = new JsonObject
        {
            ["type"] = ToolCallType,
            ["toolCallId"] = toolCallId,
            ["toolName"] = toolName,
            ["args"] = args,
        };
        if (result is not null) call["result"] = result;
        return call;
    }

    /// <summary>
    /// Tool arguments given as a JSON string (<c>gen_ai.tool.input</c>, <c>gen_ai.tool.call.arguments</c>):
    /// the parsed value, <c>{"raw": s}</c> when it does not parse, <c>{}</c> when missing or not a
    /// non-empty string.
    /// </summary>
    public static JsonNode? ArgsFromJsonText(JsonNode? attribute)
    {
        if (!JsValue.TryGetTruthyString(attribute, out var text)) return new JsonObject();
        return JsJson.TryParse(text, out var parsed) ? parsed : new JsonObject { ["raw"] = text };
    }
}
