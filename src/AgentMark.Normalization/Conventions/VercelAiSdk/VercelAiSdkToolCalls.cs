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
    public static JsArray? Extract(AttributeView a, VercelAiSdkVersion version)
    {
        var v5 = version == VercelAiSdkVersion.V5;
        var listed = v5 ? a["ai.response.toolCalls"] : a["ai.result.toolCalls"] ?? a["ai.response.toolCalls"];
        // A present-but-unusable list means "no tool calls", not "try the per-call keys".
        if (listed is not null) return FromList(listed, v5);
        return FromToolCallSpan(a);
    }

    private static JsArray? FromList(object listed, bool v5)
    {
        var calls = listed is string text
            ? JsJson.TryParse(text, out var parsed) ? parsed as JsArray : null
            : listed as JsArray;
        if (calls is null) return null;

        var mapped = new JsArray(calls.Count);
        foreach (var element in calls)
        {
            // A non-object element reads as an object without properties.
            var tc = element as JsObject ?? EmptyObject;
            mapped.Add(v5 ? MapV5(tc) : MapV4(tc));
        }
        return mapped;
    }

    private static readonly JsObject EmptyObject = new();

    /// <summary><c>{type, toolCallId, toolName, args: input || args || {}, providerMetadata?}</c>.</summary>
    private static JsObject MapV5(JsObject tc)
    {
        var call = StartCall(tc);
        var input = tc["input"];
        var args = tc["args"];
        call["args"] = JsValue.IsTruthy(input) ? input : JsValue.IsTruthy(args) ? args : new JsObject();
        var providerMetadata = tc["providerMetadata"];
        var providerOptions = tc["providerOptions"];
        if (JsValue.IsTruthy(providerMetadata)) call["providerMetadata"] = providerMetadata;
        else if (JsValue.IsTruthy(providerOptions)) call["providerMetadata"] = providerOptions;
        return call;
    }

    /// <summary><c>{type, toolCallId, toolName, args: args || input || {}}</c>.</summary>
    private static JsObject MapV4(JsObject tc)
    {
        var call = StartCall(tc);
        var args = tc["args"];
        var input = tc["input"];
        call["args"] = JsValue.IsTruthy(args) ? args : JsValue.IsTruthy(input) ? input : new JsObject();
        return call;
    }

    /// <summary><c>type</c> (default "tool-call"), then <c>toolCallId</c> and <c>toolName</c> (omitted when undefined).</summary>
    private static JsObject StartCall(JsObject tc)
    {
        var type = tc["type"];
        return new JsObject(5)
        {
            ["type"] = JsValue.IsTruthy(type) ? type : ToolCallJson.ToolCallType,
            ["toolCallId"] = tc["toolCallId"],
            ["toolName"] = tc["toolName"],
        };
    }

    /// <summary>An <c>ai.toolCall</c> span: needs a truthy id and name; <c>result</c> is kept as text.</summary>
    private static JsArray? FromToolCallSpan(AttributeView a)
    {
        var name = a["ai.toolCall.name"];
        var id = a["ai.toolCall.id"];
        if (!JsValue.IsTruthy(name) || !JsValue.IsTruthy(id)) return null;

        var argsAttribute = a["ai.toolCall.args"];
        object? args = argsAttribute switch
        {
            string argsText => JsJson.TryParse(argsText, out var parsed) ? parsed : new JsObject(),
            JsObject or JsArray => argsAttribute,
            _ => new JsObject(),
        };

        var resultAttribute = a["ai.toolCall.result"];
        var result = resultAttribute switch
        {
            null => null,
            string resultText => resultText,
            _ => JsJson.Stringify(resultAttribute),
        };

        return new JsArray(ToolCallJson.Create(JsValue.ToJsString(id), JsValue.ToJsString(name), args, result));
    }
}
