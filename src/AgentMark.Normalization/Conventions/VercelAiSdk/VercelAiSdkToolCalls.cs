using System.Text.Json.Nodes;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.VercelAiSdk;

/// <summary>
/// Tool calls of AI SDK spans (ingestion §2.5): the model's requested calls from
/// <c>ai.response.toolCalls</c> (v5) / <c>ai.result.toolCalls</c> (v4), or, on <c>ai.toolCall</c>
/// execution spans, one call built from <c>ai.toolCall.*</c> with its result.
/// </summary>
internal static class VercelAiSdkToolCalls
{
    public static JsonArray? Extract(AttributeView a, VercelAiSdkVersion version)
    {
        var v5 = version == VercelAiSdkVersion.V5;
        var listed = v5 ? a["ai.response.toolCalls"] : a["ai.result.toolCalls"] ?? a["ai.response.toolCalls"];
        // A present-but-unusable list means "no tool calls", not "try the per-call keys".
        if (listed is not null) return FromList(listed, v5);
        return FromToolCallSpan(a);
    }

    private static JsonArray? FromList(JsonNode listed, bool v5)
    {
        JsonArray? calls;
        if (JsValue.TryGetString(listed, out var text))
        {
            calls = JsJson.TryParse(text, out var parsed) ? parsed as JsonArray : null;
        }
        else
        {
            calls = JsValue.Detached(listed) as JsonArray;
        }
        if (calls is null) return null;

        for (var i = 0; i < calls.Count; i++)
        {
            var source = calls[i] as JsonObject ?? new JsonObject();
            calls[i] = v5 ? MapV5(source) : MapV4(source);
        }
        return calls;
    }

    /// <summary><c>{type, toolCallId, toolName, args: input || args || {}, providerMetadata?}</c>.</summary>
    private static JsonObject MapV5(JsonObject tc)
    {
        var call = StartCall(tc);
        JsValue.TryTake(tc, "input", out var input);
        JsValue.TryTake(tc, "args", out var args);
        call["args"] = JsValue.IsTruthy(input) ? input : JsValue.IsTruthy(args) ? args : new JsonObject();
        JsValue.TryTake(tc, "providerMetadata", out var providerMetadata);
        JsValue.TryTake(tc, "providerOptions", out var providerOptions);
        if (JsValue.IsTruthy(providerMetadata)) call["providerMetadata"] = providerMetadata;
        else if (JsValue.IsTruthy(providerOptions)) call["providerMetadata"] = providerOptions;
        return call;
    }

    /// <summary><c>{type, toolCallId, toolName, args: args || input || {}}</c>.</summary>
    private static JsonObject MapV4(JsonObject tc)
    {
        var call = StartCall(tc);
        JsValue.TryTake(tc, "args", out var args);
        JsValue.TryTake(tc, "input", out var input);
        call["args"] = JsValue.IsTruthy(args) ? args : JsValue.IsTruthy(input) ? input : new JsonObject();
        return call;
    }

    /// <summary><c>type</c> (default "tool-call"), then <c>toolCallId</c> and <c>toolName</c> when present.</summary>
    private static JsonObject StartCall(JsonObject tc)
    {
        JsValue.TryTake(tc, "type", out var type);
        var call = new JsonObject { ["type"] = JsValue.IsTruthy(type) ? type : ToolCallJson.ToolCallType };
        if (JsValue.TryTake(tc, "toolCallId", out var id)) call["toolCallId"] = id;
        if (JsValue.TryTake(tc, "toolName", out var name)) call["toolName"] = name;
        return call;
    }

    /// <summary>An <c>ai.toolCall</c> span: needs a truthy id and name; <c>result</c> is kept as text.</summary>
    private static JsonArray? FromToolCallSpan(AttributeView a)
    {
        var name = a["ai.toolCall.name"];
        var id = a["ai.toolCall.id"];
        if (!JsValue.IsTruthy(name) || !JsValue.IsTruthy(id)) return null;

        var argsAttribute = a["ai.toolCall.args"];
        JsonNode? args;
        if (JsValue.TryGetString(argsAttribute, out var argsText))
        {
            args = JsJson.TryParse(argsText, out var parsed) ? parsed : new JsonObject();
        }
        else
        {
            args = argsAttribute is JsonObject or JsonArray ? JsValue.Detached(argsAttribute) : new JsonObject();
        }

        var resultAttribute = a["ai.toolCall.result"];
        string? result = resultAttribute is null ? null
            : JsValue.TryGetString(resultAttribute, out var resultText) ? resultText
            : JsJson.Stringify(resultAttribute);

        return new JsonArray(ToolCallJson.Create(JsValue.ToJsString(id), JsValue.ToJsString(name), args, result));
    }
}
