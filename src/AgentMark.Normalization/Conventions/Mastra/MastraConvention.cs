using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.Mastra;

/// <summary>
/// Mastra's OpenTelemetry telemetry (scope <c>default-tracer</c>, ingestion §2.6): Mastra traces its class
/// methods, recording each call's arguments as <c>&lt;span name&gt;.argument.N</c> and its return value as
/// <c>&lt;span name&gt;.result</c>, both as JSON text. The agent call spans are the generations.
/// </summary>
internal sealed class MastraConvention : ISpanConvention
{
    private static readonly string[] InputKeys =
        ["agent.prepareLLMOptions.argument.0", "agent.stream.argument.0", "agent.streamLegacy.argument.0"];

    private static readonly string[] ResultKeys =
        ["agent.stream.result", "agent.streamLegacy.result", "agent.streamObject.result"];

    public string Classify(DecodedSpan span, AttributeView a)
        => span.Name is "agent.streamLegacy" or "agent.stream" or "agent.streamObject" or "agent.generate" or "agent.generateObject"
            ? SpanTypes.Generation
            : SpanTypes.Span;

    public void Transform(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        // The model config is an object of Mastra's own: its settings are stored as they are.
        if (ObjectValue(a["agent.resolveModelConfig.result"]) is JsObject config && config["modelId"] is { } modelId && JsValue.IsTruthy(modelId))
        {
            f.Model = JsValue.ToJsString(modelId);
            if (config["settings"] is JsObject settings) f.Settings = settings;
        }

        if (ParsedValue(FirstTruthy(a, span.Name + ".argument.0", InputKeys)) is JsArray messages) f.Input = messages;

        if (ObjectValue(FirstTruthy(a, span.Name + ".result", ResultKeys)) is JsObject result) ExtractResult(result, f);

        if (JsValue.IsTruthy(a["agentmark.trace_name"])) f.TraceName = JsValue.ToJsString(a["agentmark.trace_name"]);
        else if (JsValue.IsTruthy(a["componentName"])) f.TraceName = JsValue.ToJsString(a["componentName"]);
    }

    /// <summary>Usage as reported (no total derived), then the object, text or response, first truthy wins.</summary>
    private static void ExtractResult(JsObject result, NormalizedFields f)
    {
        if (result["usage"] is { } usage and not JsNull)
        {
            f.InputTokens = Number(JsValue.Prop(usage, "promptTokens"));
            f.OutputTokens = Number(JsValue.Prop(usage, "completionTokens"));
            f.TotalTokens = Number(JsValue.Prop(usage, "totalTokens"));
        }

        var structured = result["object"];
        var text = result["text"];
        var response = result["response"];
        if (JsValue.IsTruthy(structured))
        {
            f.OutputObject = structured;
            f.Output = JsJson.Stringify(structured);
        }
        else if (JsValue.IsTruthy(text))
        {
            f.Output = JsValue.ToJsString(text);
        }
        else if (response is string responseText && responseText.Length > 0)
        {
            f.Output = responseText;
        }
        else if (JsValue.IsTruthy(response))
        {
            f.Output = JsJson.Stringify(response);
            f.OutputObject = response;
        }
    }

    /// <summary>Token counts are taken as Mastra reports them; only numbers can be stored as counts.</summary>
    private static double? Number(object? value) => JsValue.TryGetNumber(value, out var number) ? number : null;

    private static object? FirstTruthy(AttributeView a, string first, string[] others)
    {
        var value = a[first];
        if (JsValue.IsTruthy(value)) return value;
        foreach (var key in others)
        {
            value = a[key];
            if (JsValue.IsTruthy(value)) return value;
        }
        return null;
    }

    /// <summary>JSON text parsed (null when it does not parse); any other value as it is.</summary>
    private static object? ParsedValue(object? value)
        => value is string text ? (JsJson.TryParse(text, out var parsed) ? parsed : null) : value;

    private static JsObject? ObjectValue(object? value) => ParsedValue(value) as JsObject;
}
