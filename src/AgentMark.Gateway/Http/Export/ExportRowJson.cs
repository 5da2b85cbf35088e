using System.Text.Json;
using AgentMark.Core.Spans;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Export;

/// <summary>One ExportRow as a JSON object (wire-contract §6.7), written field by field in column order.</summary>
internal static class ExportRowJson
{
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name"), Score = JsonEncodedText.Encode("score"),
        Label = JsonEncodedText.Encode("label"), Reason = JsonEncodedText.Encode("reason"), Source = JsonEncodedText.Encode("source");

    public static void Write(Utf8JsonWriter w, ExportedSpan row, bool includeIo)
    {
        var s = row.Span;
        var n = ExportColumns.SummaryNames;
        w.WriteStartObject();
        w.WriteString(n[0], s.TraceId);
        w.WriteString(n[1], s.SpanId);
        StringOrNull(w, n[2], s.ParentSpanId);
        w.WriteString(n[3], row.TraceName);
        w.WriteString(n[4], s.SpanName);
        w.WriteString(n[5], TypeOf(s));
        w.WriteString(n[6], SpanStatus.Name(s.StatusCode));
        w.WriteString(n[7], s.StatusMessage ?? "");
        StringOrNull(w, n[8], s.Model);
        w.WriteString(n[9], WireFormat.IsoFromNanos(s.StartTimeUnixNano));
        w.WriteNumber(n[10], s.Duration);
        w.WriteNumber(n[11], s.InputTokens);
        w.WriteNumber(n[12], s.OutputTokens);
        w.WriteNumber(n[13], SpanWire.Tokens(s));
        w.WriteNumber(n[14], s.ReasoningTokens);
        w.WriteNumber(n[15], s.Cost);
        w.WriteString(n[16], s.UserId);
        w.WriteString(n[17], s.SessionId);
        w.WriteString(n[18], s.PromptName);
        w.WritePropertyName(n[19]);
        Tags(w, s.Tags);
        w.WritePropertyName(n[20]);
        Metadata(w, s.Metadata);
        w.WritePropertyName(n[21]);
        Scores(w, row.Scores);
        if (includeIo)
        {
            var io = ExportColumns.IoNames;
            StringOrNull(w, io[0], s.Input);
            StringOrNull(w, io[1], s.Output);
            StringOrNull(w, io[2], s.OutputObject);
            StringOrNull(w, io[3], s.ToolCalls);
        }
        w.WriteEndObject();
    }

    public static string TypeOf(SpanRecord s) => string.IsNullOrEmpty(s.Type) ? SpanTypes.Span : s.Type;

    /// <summary>The stored compact JSON array of tags, copied as is (written by the ingest path, so well formed).</summary>
    public static void Tags(Utf8JsonWriter w, string tags)
    {
        if (tags.Length <= 2) { w.WriteStartArray(); w.WriteEndArray(); }
        else w.WriteRawValue(tags);
    }

    /// <summary>The wire metadata: reserved graph.node.* keys removed, every value a string.</summary>
    public static void Metadata(Utf8JsonWriter w, string? metadata)
    {
        w.WriteStartObject();
        if (!string.IsNullOrEmpty(metadata))
            foreach (var (key, value) in WireFormat.Metadata(metadata)) w.WriteString(key, value);
        w.WriteEndObject();
    }

    public static void Scores(Utf8JsonWriter w, IReadOnlyList<ExportScore> scores)
    {
        w.WriteStartArray();
        foreach (var score in scores)
        {
            w.WriteStartObject();
            w.WriteString(Name, score.Name);
            w.WriteNumber(Score, score.Score);
            w.WriteString(Label, score.Label);
            w.WriteString(Reason, score.Reason);
            w.WriteString(Source, score.Source);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void StringOrNull(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (string.IsNullOrEmpty(value)) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    /// <summary>The final JSONL line: <c>{"_export_meta":{total, exported, skipped, next_cursor}}</c>.</summary>
    public static void WriteMeta(Utf8JsonWriter w, ExportMeta meta)
    {
        w.WriteStartObject();
        w.WriteStartObject("_export_meta");
        w.WriteNumber("total", meta.Total);
        w.WriteNumber("exported", meta.Exported);
        w.WriteNumber("skipped", meta.Skipped);
        if (meta.NextCursor is { } cursor) w.WriteString("next_cursor", cursor);
        else w.WriteNull("next_cursor");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

/// <summary>Page counts: total = rows of the page, exported = lines written, skipped = rows that could not be converted.</summary>
internal sealed record ExportMeta(long Total, long Exported, long Skipped, string? NextCursor);
