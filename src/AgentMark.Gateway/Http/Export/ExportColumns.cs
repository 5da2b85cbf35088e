using System.Text.Json;

namespace AgentMark.Gateway.Http.Export;

/// <summary>
/// The ExportRow fields (wire-contract §6.7) in their one order, shared by the JSONL object and the
/// CSV header. The I/O fields come last and are left out of lightweight exports.
/// </summary>
internal static class ExportColumns
{
    public static readonly string[] Summary =
    [
        "trace_id", "span_id", "parent_span_id", "trace_name", "name", "type", "status", "status_message", "model",
        "timestamp", "duration_ms", "input_tokens", "output_tokens", "total_tokens", "reasoning_tokens", "cost",
        "user_id", "session_id", "prompt_name", "tags", "metadata", "scores",
    ];

    public static readonly string[] Io = ["input", "output", "output_object", "tool_calls"];

    public static readonly JsonEncodedText[] SummaryNames = Summary.Select(n => JsonEncodedText.Encode(n)).ToArray();
    public static readonly JsonEncodedText[] IoNames = Io.Select(n => JsonEncodedText.Encode(n)).ToArray();
}
