using System.Text.Json;
using AgentMark.Core.Spans;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Export;

/// <summary>
/// OpenAI fine-tuning examples (<c>{"messages":[…]}</c>) from GENERATION spans (wire-contract §6.7):
/// the stored chat input (ingestion §2.12 messages) followed by the span's output as the final
/// assistant message, with its tool calls as OpenAI <c>tool_calls</c>. A span that is not a
/// generation, whose input is not an array of chat messages with known roles, or that has no output
/// at all is not convertible (counted in <c>skipped</c>).
/// </summary>
internal static class OpenAiExamples
{
    /// <summary>The parsed input when the span converts (the caller disposes it), else null.</summary>
    public static JsonDocument? TryParse(ExportedSpan row)
    {
        var s = row.Span;
        if (ExportRowJson.TypeOf(s) != SpanTypes.Generation || string.IsNullOrEmpty(s.Input)) return null;
        if (string.IsNullOrEmpty(s.Output) && string.IsNullOrEmpty(s.OutputObject) && !HasToolCalls(s.ToolCalls)) return null;
        JsonDocument input;
        try { input = JsonDocument.Parse(s.Input); }
        catch (JsonException) { return null; }
        var messages = input.RootElement;
        var ok = messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0;
        if (ok)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role)
                    || role.ValueKind != JsonValueKind.String || Role(role.GetString()) is null)
                {
                    ok = false;
                    break;
                }
            }
        }
        if (ok) return input;
        input.Dispose();
        return null;
    }

    public static void Write(Utf8JsonWriter w, JsonDocument input, ExportedSpan row)
    {
        w.WriteStartObject();
        w.WriteStartArray("messages");
        foreach (var message in input.RootElement.EnumerateArray()) WriteMessage(w, message);

        // The span's own result is the target the model is tuned towards.
        var s = row.Span;
        var content = !string.IsNullOrEmpty(s.Output) ? s.Output : s.OutputObject;
        w.WriteStartObject();
        w.WriteString("role", "assistant");
        using var toolCalls = ParseToolCalls(s.ToolCalls);
        List<JsonElement> calls = toolCalls is null ? [] : toolCalls.RootElement.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).ToList();
        if (!string.IsNullOrEmpty(content) || calls.Count == 0) w.WriteString("content", content ?? "");
        if (calls.Count > 0) WriteToolCalls(w, calls);
        w.WriteEndObject();

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>OpenAI's roles; a developer message is a system message there.</summary>
    private static string? Role(string? role) => role switch
    {
        "system" or "developer" => "system",
        "user" => "user",
        "assistant" => "assistant",
        "tool" => "tool",
        _ => null,
    };

    private static void WriteMessage(Utf8JsonWriter w, JsonElement message)
    {
        var role = Role(message.GetProperty("role").GetString())!;
        var texts = new List<string>();
        var calls = new List<JsonElement>();
        var results = new List<JsonElement>();
        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.Array)
                foreach (var part in content.EnumerateArray()) Part(part, texts, calls, results);
            else Part(content, texts, calls, results);
        }
        var text = string.Join("\n", texts);

        if (role == "tool" && results.Count > 0)
        {
            // One OpenAI tool message per result, each answering its call id.
            foreach (var result in results)
            {
                w.WriteStartObject();
                w.WriteString("role", "tool");
                w.WriteString("tool_call_id", StringProperty(result, "toolCallId"));
                w.WriteString("content", result.TryGetProperty("result", out var value) ? AsText(value) : "");
                w.WriteEndObject();
            }
            if (text.Length == 0) return;
        }

        w.WriteStartObject();
        w.WriteString("role", role);
        var assistantCalls = role == "assistant" && calls.Count > 0;
        if (!assistantCalls || text.Length > 0) w.WriteString("content", text);
        if (assistantCalls) WriteToolCalls(w, calls);
        w.WriteEndObject();
    }

    /// <summary>Message parts (ingestion §2.12): text, tool calls and tool results; images and files are left out.</summary>
    private static void Part(JsonElement part, List<string> texts, List<JsonElement> calls, List<JsonElement> results)
    {
        if (part.ValueKind == JsonValueKind.String)
        {
            texts.Add(part.GetString()!);
            return;
        }
        if (part.ValueKind != JsonValueKind.Object) return;
        switch (StringProperty(part, "type"))
        {
            case "text":
                texts.Add(StringProperty(part, "text"));
                break;
            case "tool-call":
                calls.Add(part);
                break;
            case "tool-result":
                results.Add(part);
                break;
        }
    }

    /// <summary>AI SDK style calls <c>{toolCallId, toolName, args}</c> → <c>{id, type:"function", function:{name, arguments}}</c>.</summary>
    private static void WriteToolCalls(Utf8JsonWriter w, IEnumerable<JsonElement> calls)
    {
        w.WriteStartArray("tool_calls");
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("id", StringProperty(call, "toolCallId"));
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", StringProperty(call, "toolName"));
            w.WriteString("arguments", call.TryGetProperty("args", out var args) ? AsText(args) : "{}");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static bool HasToolCalls(string? toolCalls)
    {
        using var parsed = ParseToolCalls(toolCalls);
        return parsed is not null && parsed.RootElement.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.Object);
    }

    private static JsonDocument? ParseToolCalls(string? toolCalls)
    {
        if (string.IsNullOrEmpty(toolCalls) || toolCalls == "[]") return null;
        try
        {
            var document = JsonDocument.Parse(toolCalls);
            if (document.RootElement.ValueKind == JsonValueKind.Array) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
            // Stored by the ingest path, so well formed in practice; unreadable calls are no calls.
        }
        return null;
    }

    private static string StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    /// <summary>A string as is; any other JSON value as compact JSON text.</summary>
    private static string AsText(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
