using System.Text;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.AgentMarkSdk;

/// <summary>
/// Input and output precedence of the AgentMark SDK convention (ingestion §2.4): the SDK's own
/// <c>agentmark.*</c> keys always beat the OTel GenAI content keys, which older SDKs and adapters also send.
/// </summary>
internal static class AgentMarkSdkMessages
{
    public static void ExtractInput(AttributeView a, NormalizedFields f)
    {
        // The runner's own input beats the OTel keys: when it is present they are not consulted.
        var hasAgentMarkInput = JsValue.IsTruthy(a["agentmark.input"]) || JsValue.IsTruthy(a["agentmark.props"]);
        JsArray? input = null;

        if (JsValue.TryGetTruthyString(a.FirstExisting("gen_ai.request.input", "agentmark.request.input"), out var requestInput))
        {
            input = MessageJson.ParseLooseInput(requestInput);
        }
        else if (!hasAgentMarkInput)
        {
            if (JsValue.TryGetTruthyString(a["gen_ai.input.messages"], out var specMessages))
            {
                input = ParseSpecMessages(specMessages);
            }
            if (input is null && JsValue.TryGetTruthyString(a["gen_ai.prompt"], out var prompt))
            {
                input = MessageJson.ParseLooseInput(prompt);
            }
        }

        if (!hasAgentMarkInput && JsValue.TryGetTruthyString(a["gen_ai.system_instructions"], out var instructions))
        {
            var text = SystemInstructionText(instructions);
            if (text.Length > 0) input = MessageJson.PrependSystem(input, text);
        }

        if (input is null && JsValue.TryGetTruthyString(a.FirstExisting("agentmark.input", "agentmark.props"), out var fallback))
        {
            input = MessageJson.ParseLooseInput(fallback);
        }

        if (input is not null) f.Input = input;
    }

    public static void ExtractOutput(AttributeView a, NormalizedFields f)
    {
        if (JsValue.TryGetTruthyString(a.FirstExisting("gen_ai.response.output", "agentmark.response.output"), out var responseOutput))
        {
            SetRawOutput(f, responseOutput);
        }
        else if (!JsValue.IsTruthy(a["agentmark.output"]))
        {
            if (JsValue.TryGetTruthyString(a["gen_ai.output.messages"], out var specMessages)
                && ParseSpecMessages(specMessages) is { } messages)
            {
                f.Output = JoinContents(messages);
            }
            else if (JsValue.TryGetTruthyString(a["gen_ai.completion"], out var completion))
            {
                SetRawOutput(f, completion);
            }
        }

        if (string.IsNullOrEmpty(f.Output) && JsValue.TryGetTruthyString(a["agentmark.output"], out var agentMarkOutput))
        {
            SetRawOutput(f, agentMarkOutput);
        }
    }

    /// <summary><c>output</c> = the text; <c>outputObject</c> = its JSON value when it parses (any JSON value).</summary>
    private static void SetRawOutput(NormalizedFields f, string text)
    {
        f.Output = text;
        if (JsJson.TryParse(text, out var parsed)) f.OutputObject = parsed;
    }

    /// <summary>
    /// OTel GenAI spec messages as this convention reads them: elements with a truthy role; a string
    /// <c>content</c> gives <c>{role, content}</c>; otherwise the string contents of the "text" parts,
    /// when non-empty. Null when nothing is usable.
    /// </summary>
    internal static JsArray? ParseSpecMessages(string text)
    {
        if (!JsJson.TryParse(text, out var parsed) || parsed is not JsArray { Count: > 0 } array) return null;
        var messages = new JsArray(array.Count);
        foreach (var element in array)
        {
            if (element is not JsObject message || !message.TryGetValue("role", out var role) || !JsValue.IsTruthy(role)) continue;
            if (message["content"] is string contentText)
            {
                messages.Add(MessageJsonWithRole(role, contentText));
            }
            else if (message["parts"] is JsArray parts)
            {
                var partsText = MessageJson.TextOfParts(parts, requireStringContent: true);
                if (partsText.Length > 0) messages.Add(MessageJsonWithRole(role, partsText));
            }
        }
        return messages.Count > 0 ? messages : null;
    }

    private static JsObject MessageJsonWithRole(object? role, string content) => new(2) { ["role"] = role, ["content"] = content };

    private static string JoinContents(JsArray messages)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < messages.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            sb.Append(JsValue.ToJsString(JsValue.Prop(messages[i], "content")));
        }
        return sb.ToString();
    }

    /// <summary>A JSON array of parts gives its text parts; a JSON string gives itself; anything else
    /// (other JSON, or not JSON) gives the raw attribute text.</summary>
    private static string SystemInstructionText(string raw)
    {
        if (!JsJson.TryParse(raw, out var parsed)) return raw;
        return parsed switch
        {
            JsArray parts => MessageJson.TextOfParts(parts, requireStringContent: true),
            string s => s,
            _ => raw,
        };
    }
}
