using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>The span-level ToolCall shape of ingestion §2.12, in its property order.</summary>
internal static class ToolCallJson
{
    public const string ToolCallType = "tool-call";

    /// <summary><c>{type:"tool-call", toolCallId, toolName, args, result?}</c>.</summary>
    public static JsObject Create(object? toolCallId, string toolName, object? args, string? result)
    {
        var call = new JsObject(5)
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
    /// Tool arguments given as JSON text (<c>gen_ai.tool.input</c>, <c>gen_ai.tool.call.arguments</c>):
    /// the parsed value, <c>{"raw": s}</c> when it does not parse, <c>{}</c> when missing or not a
    /// non-empty string.
    /// </summary>
    public static object ArgsFromJsonText(object? attribute)
    {
        if (!JsValue.TryGetTruthyString(attribute, out var text)) return new JsObject();
        return JsJson.TryParse(text, out var parsed) ? parsed! : new JsObject { ["raw"] = text };
    }
}
