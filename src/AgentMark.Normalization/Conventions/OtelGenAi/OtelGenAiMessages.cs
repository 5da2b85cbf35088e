using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OtelGenAi;

/// <summary>
/// Input and output of the OTel GenAI convention (ingestion §2.9): the v1.37 <c>{role, parts[]}</c>
/// message arrays, their older key names, system instructions, and the Pydantic AI / AgentMark fallbacks,
/// applied in this order so each fallback only fills what is still missing.
/// </summary>
internal static class OtelGenAiMessages
{
    public static void Extract(AttributeView a, NormalizedFields f)
    {
        JsArray? input = null;
        var inputText = a["gen_ai.input.messages"] ?? a["gen_ai.request.input"] ?? a["gen_ai.prompt"];
        if (JsValue.TryGetTruthyString(inputText, out var inputMessages)) input = NormalizeMessages(inputMessages);

        if (JsValue.TryGetTruthyString(a["gen_ai.system_instructions"], out var instructions)
            && SystemInstructionText(instructions) is { Length: > 0 } systemText)
        {
            input = MessageJson.PrependSystem(input, systemText);
        }

        var outputText = a["gen_ai.output.messages"] ?? a["gen_ai.response.output"] ?? a["gen_ai.completion"];
        if (JsValue.TryGetTruthyString(outputText, out var outputMessages)) ExtractOutput(outputMessages, f);

        // Pydantic AI agent-run spans carry the whole conversation; the user turns are the input.
        if (input is null && JsValue.TryGetTruthyString(a["pydantic_ai.all_messages"], out var allMessages)
            && NormalizeMessages(allMessages) is { } conversation)
        {
            var userMessages = new JsArray();
            foreach (var message in conversation)
            {
                if (JsValue.Prop(message, "role") is "user") userMessages.Add(message);
            }
            if (userMessages.Count > 0) input = userMessages;
        }

        if (string.IsNullOrEmpty(f.Output) && JsValue.TryGetTruthyString(a["final_result"], out var finalResult))
        {
            SetRawOutput(f, finalResult);
        }

        if (input is null && JsValue.TryGetTruthyString(a["agentmark.props"], out var props) && JsJson.TryParse(props, out var parsedProps))
        {
            input = new JsArray(MessageJson.Create("user", JsJson.Stringify(parsedProps)));
        }

        if (string.IsNullOrEmpty(f.Output) && JsValue.TryGetTruthyString(a["agentmark.output"], out var agentMarkOutput))
        {
            SetRawOutput(f, agentMarkOutput);
        }

        if (input is not null) f.Input = input;
    }

    private static void SetRawOutput(NormalizedFields f, string text)
    {
        f.Output = text;
        f.OutputObject = JsJson.TryParse(text, out var parsed) ? parsed : null;
    }

    /// <summary>
    /// Messages with a truthy role: a non-empty string <c>content</c> keeps the message whole (extra
    /// properties included); otherwise the text parts become <c>{role, content}</c> when non-empty.
    /// Null when nothing is usable or the text is not a JSON array.
    /// </summary>
    internal static JsArray? NormalizeMessages(string text)
    {
        if (!JsJson.TryParse(text, out var parsed) || parsed is not JsArray { Count: > 0 } array) return null;
        var messages = new JsArray(array.Count);
        foreach (var element in array)
        {
            if (element is not JsObject message || !message.TryGetValue("role", out var role) || !JsValue.IsTruthy(role)) continue;
            if (message["content"] is string { Length: > 0 })
            {
                messages.Add(message);
            }
            else if (message["parts"] is JsArray parts)
            {
                var partsText = MessageJson.TextOfParts(parts, requireStringContent: false);
                if (partsText.Length > 0) messages.Add(new JsObject(2) { ["role"] = role, ["content"] = partsText });
            }
        }
        return messages.Count > 0 ? messages : null;
    }

    /// <summary>
    /// A JSON array of messages: the first <c>tool_call</c> part with truthy arguments is the structured
    /// output (Pydantic AI's <c>final_result</c>); else the first message with text parts. Otherwise the raw text.
    /// </summary>
    private static void ExtractOutput(string text, NormalizedFields f)
    {
        if (JsJson.TryParse(text, out var parsed) && parsed is JsArray messages)
        {
            foreach (var message in messages)
            {
                if (JsValue.Prop(message, "parts") is not JsArray parts) continue;
                foreach (var part in parts)
                {
                    if (JsValue.Prop(part, "type") is not "tool_call") continue;
                    var arguments = JsValue.Prop(part, "arguments");
                    if (!JsValue.IsTruthy(arguments)) continue;
                    f.Output = JsJson.Stringify(arguments);
                    f.OutputObject = arguments;
                    return;
                }
            }
            foreach (var message in messages)
            {
                if (JsValue.Prop(message, "parts") is not JsArray parts) continue;
                var partsText = MessageJson.TextOfParts(parts, requireStringContent: false);
                if (partsText.Length == 0) continue;
                f.Output = partsText;
                return;
            }
        }
        // Not a spec messages array: legacy gen_ai.completion and some response.output values are plain text.
        f.Output = text;
    }

    /// <summary>JSON array → its text parts; JSON string → itself; other JSON → nothing; not JSON → the raw text.</summary>
    private static string? SystemInstructionText(string raw)
    {
        if (!JsJson.TryParse(raw, out var parsed)) return raw;
        return parsed switch
        {
            JsArray parts => MessageJson.TextOfParts(parts, requireStringContent: false),
            string s => s,
            _ => null,
        };
    }
}
