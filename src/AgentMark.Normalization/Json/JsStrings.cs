namespace AgentMark.Normalization.Json;

/// <summary>
/// Shared instances of the short strings that recur in parsed message JSON (keys such as <c>role</c>
/// and <c>content</c>, values such as <c>user</c> or <c>stop</c>), so parsing them does not allocate.
/// </summary>
internal static class JsStrings
{
    private const int MaxLength = 16;

    private static readonly string[] Vocabulary =
    [
        "role", "content", "type", "text", "name", "id", "value", "args", "input", "output", "result",
        "system", "user", "assistant", "tool", "developer", "function", "arguments", "parts",
        "tool-call", "tool-result", "toolCallId", "toolName", "tool_calls", "tool_call_id", "image", "file",
        "data", "url", "mimeType", "mediaType", "json", "error", "reasoning", "stop", "length",
        "tool-calls", "content-filter", "other", "unknown", "end_turn", "max_tokens", "stop_sequence",
        "finish_reason", "message", "messages", "prompt", "intValue", "true", "false",
    ];

    /// <summary>Candidates by length.</summary>
    private static readonly string[][] ByLength = BuildTable();

    private static string[][] BuildTable()
    {
        var table = new string[MaxLength + 1][];
        for (var length = 0; length <= MaxLength; length++)
        {
            table[length] = Vocabulary.Where(w => w.Length == length).Distinct(StringComparer.Ordinal).ToArray();
        }
        return table;
    }

    /// <summary>The shared instance equal to <paramref name="value"/>, or null.</summary>
    public static string? Common(ReadOnlySpan<char> value)
    {
        if (value.Length > MaxLength) return null;
        foreach (var candidate in ByLength[value.Length])
        {
            if (value.SequenceEqual(candidate)) return candidate;
        }
        return null;
    }
}
