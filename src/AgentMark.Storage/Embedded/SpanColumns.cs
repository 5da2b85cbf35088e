using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>The mapping between <see cref="SpanRecord"/> and the <c>spans</c> table, in one place.</summary>
internal static class SpanColumns
{
    private const string SummaryList =
        "s.trace_id, s.span_id, s.parent_span_id, s.trace_state, s.type, s.start_ns, s.end_ms, s.duration_ms, s.span_name, " +
        "s.span_kind, s.semantic_kind, s.service_name, s.scope_name, s.scope_version, s.status_code, s.status_message, s.model, " +
        "s.input_tokens, s.output_tokens, s.total_tokens, s.reasoning_tokens, s.cost, s.finish_reason, s.session_id, " +
        "s.session_name, s.user_id, s.trace_name, s.dataset_run_id, s.dataset_run_name, s.dataset_path, s.dataset_item_name, " +
        "s.dataset_expected_output, s.dataset_input, s.experiment_key, s.source_tree_hash, s.commit_sha, s.prompt_name, " +
        "s.metadata, s.tags, s.app_id";

    private const string IoList = "p.input, p.output, p.output_object, p.tool_calls, p.settings, p.props";
    private const string RawList = "p.resource_attributes, p.span_attributes, p.events, p.links, p.attribute_refs";
    private const int SummaryCount = 40;

    public static string Select(SpanDetail detail) => detail switch
    {
        SpanDetail.Summary => SummaryList,
        SpanDetail.WithIo => SummaryList + ", " + IoList,
        _ => SummaryList + ", " + IoList + ", " + RawList,
    };

    /// <summary>The FROM clause for a read: the payload table is joined only when the read needs it.</summary>
    public static string From(SpanDetail detail, string? index = null) => detail == SpanDetail.Summary
        ? $"spans s {index}"
        : $"spans s {index} LEFT JOIN span_payloads p ON p.span_row = s.id";

    public static SpanRecord Read(SqliteDataReader r, SpanDetail detail)
    {
        var span = new SpanRecord
        {
            TraceId = r.GetString(0),
            SpanId = r.GetString(1),
            ParentSpanId = NullableString(r, 2),
            TraceState = NullableString(r, 3),
            Type = r.GetString(4),
            StartTimeUnixNano = r.GetInt64(5),
            EndTime = r.IsDBNull(6) ? 0 : r.GetDouble(6),
            Duration = r.GetInt64(7),
            SpanName = r.GetString(8),
            SpanKind = r.GetString(9),
            SemanticKind = r.GetString(10),
            ServiceName = NullableString(r, 11),
            ScopeName = NullableString(r, 12),
            ScopeVersion = NullableString(r, 13),
            StatusCode = r.GetString(14),
            StatusMessage = NullableString(r, 15),
            Model = r.GetString(16),
            InputTokens = r.GetInt64(17),
            OutputTokens = r.GetInt64(18),
            TotalTokens = r.GetInt64(19),
            ReasoningTokens = r.GetInt64(20),
            Cost = r.GetDouble(21),
            FinishReason = NullableString(r, 22),
            SessionId = r.GetString(23),
            SessionName = r.GetString(24),
            UserId = r.GetString(25),
            TraceName = r.GetString(26),
            DatasetRunId = r.GetString(27),
            DatasetRunName = r.GetString(28),
            DatasetPath = r.GetString(29),
            DatasetItemName = r.GetString(30),
            DatasetExpectedOutput = r.GetString(31),
            DatasetInput = r.GetString(32),
            ExperimentKey = r.GetString(33),
            SourceTreeHash = r.GetString(34),
            CommitSha = r.GetString(35),
            PromptName = r.GetString(36),
            Metadata = NullableString(r, 37),
            Tags = r.GetString(38),
            AppId = r.GetString(39),
        };
        if (detail >= SpanDetail.WithIo)
        {
            span.Input = NullableString(r, SummaryCount);
            span.Output = NullableString(r, SummaryCount + 1);
            span.OutputObject = NullableString(r, SummaryCount + 2);
            span.ToolCalls = NullableString(r, SummaryCount + 3);
            span.Settings = NullableString(r, SummaryCount + 4);
            span.Props = NullableString(r, SummaryCount + 5);
        }
        if (detail == SpanDetail.Full)
        {
            span.ResourceAttributes = r.GetString(SummaryCount + 6);
            // After the I/O columns: the stored map may refer to them (StoredAttributes).
            span.SpanAttributes = StoredAttributes.Restore(r.GetString(SummaryCount + 7), NullableString(r, SummaryCount + 10), span);
            span.Events = r.GetString(SummaryCount + 8);
            span.Links = r.GetString(SummaryCount + 9);
        }
        return span;
    }

    private static string? NullableString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private const string NarrowColumns =
        "app_id, trace_id, span_id, parent_span_id, trace_state, type, start_ns, end_ms, duration_ms, span_name, span_kind, " +
        "semantic_kind, service_name, scope_name, scope_version, status_code, status_message, model, input_tokens, " +
        "output_tokens, total_tokens, reasoning_tokens, cost, finish_reason, session_id, session_name, user_id, trace_name, " +
        "dataset_run_id, dataset_run_name, dataset_path, dataset_item_name, dataset_expected_output, dataset_input, " +
        "experiment_key, source_tree_hash, commit_sha, prompt_name, metadata, tags, created_at_ms, trace_seq";

    private const int UpsertParameterCount = 42;

    /// <summary>
    /// Insert or update of one span's row: a re-sent span (exporter retry) overwrites its row and
    /// keeps its id, which its payload row is keyed by. The trace is known by its arrival number
    /// (<c>traces.seq</c>), one to one with its id.
    /// </summary>
    public static readonly string Upsert =
        $"INSERT INTO spans ({NarrowColumns}) VALUES ({Parameters(UpsertParameterCount)}) " +
        "ON CONFLICT (app_id, trace_seq, span_id) DO UPDATE SET " +
        // Every column but the row's identity: app_id, trace_id, span_id first and trace_seq last.
        string.Join(", ", NarrowColumns.Split(", ").Skip(3).SkipLast(1).Select(c => $"{c} = excluded.{c}")) +
        " RETURNING id";

    public static readonly string Insert = $"INSERT OR IGNORE INTO spans ({NarrowColumns}) VALUES ({Parameters(UpsertParameterCount)})";

    public const string UpsertPayload = """
        INSERT OR REPLACE INTO span_payloads (span_row, input, output, output_object, tool_calls, settings, props,
            resource_attributes, span_attributes, events, links, attribute_refs)
        VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11)
        """;

    private static string Parameters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "$p" + i));

    /// <summary>Binds <see cref="Upsert"/>'s parameters, in column order.</summary>
    public static void Bind(RawStatement st, SpanRecord s, long createdAtMs, long traceSeq)
    {
        var i = 1;
        st.Bind(i++, s.AppId); st.Bind(i++, s.TraceId); st.Bind(i++, s.SpanId); st.Bind(i++, s.ParentSpanId);
        st.Bind(i++, s.TraceState); st.Bind(i++, s.Type); st.Bind(i++, s.StartTimeUnixNano); st.Bind(i++, s.EndTime);
        st.Bind(i++, s.Duration); st.Bind(i++, s.SpanName); st.Bind(i++, s.SpanKind); st.Bind(i++, s.SemanticKind);
        st.Bind(i++, s.ServiceName); st.Bind(i++, s.ScopeName); st.Bind(i++, s.ScopeVersion); st.Bind(i++, s.StatusCode);
        st.Bind(i++, s.StatusMessage); st.Bind(i++, s.Model); st.Bind(i++, s.InputTokens); st.Bind(i++, s.OutputTokens);
        st.Bind(i++, s.TotalTokens); st.Bind(i++, s.ReasoningTokens); st.Bind(i++, s.Cost); st.Bind(i++, s.FinishReason);
        st.Bind(i++, s.SessionId); st.Bind(i++, s.SessionName); st.Bind(i++, s.UserId); st.Bind(i++, s.TraceName);
        st.Bind(i++, s.DatasetRunId); st.Bind(i++, s.DatasetRunName); st.Bind(i++, s.DatasetPath); st.Bind(i++, s.DatasetItemName);
        st.Bind(i++, s.DatasetExpectedOutput); st.Bind(i++, s.DatasetInput); st.Bind(i++, s.ExperimentKey);
        st.Bind(i++, s.SourceTreeHash); st.Bind(i++, s.CommitSha); st.Bind(i++, s.PromptName); st.Bind(i++, s.Metadata);
        st.Bind(i++, s.Tags); st.Bind(i++, createdAtMs); st.Bind(i, traceSeq);
    }

    /// <summary>Binds <see cref="UpsertPayload"/>'s parameters.</summary>
    public static void BindPayload(RawStatement st, long spanRow, SpanRecord s, StoredAttributes.Stored attributes)
    {
        st.Bind(1, spanRow);
        st.Bind(2, s.Input); st.Bind(3, s.Output); st.Bind(4, s.OutputObject); st.Bind(5, s.ToolCalls); st.Bind(6, s.Settings);
        st.Bind(7, s.Props); st.Bind(8, s.ResourceAttributes); st.Bind(9, attributes.Json); st.Bind(10, s.Events); st.Bind(11, s.Links);
        st.Bind(12, attributes.Refs);
    }

    /// <summary>
    /// Pins one-trace lookups to the trace index, (app_id, trace_seq, span_id). Without table statistics
    /// SQLite prefers serving <c>ORDER BY start_ns</c> from spans_by_start and scans every span of the app instead.
    /// </summary>
    public const string ByTrace = "INDEXED BY spans_by_trace";

    /// <summary>The arrival number of the trace <paramref name="traceId"/> (SQL), to look its spans up by.</summary>
    public static string TraceSeqOf(string app, string traceId) => $"(SELECT seq FROM traces WHERE app_id = {app} AND trace_id = {traceId})";

    /// <summary>The normalized status (ingestion §5.1) as SQL, for filters.</summary>
    public const string NormalizedStatusSql =
        "(CASE WHEN {0} IN ('2','2.0','STATUS_CODE_ERROR','ERROR','Error') THEN '2' " +
        "WHEN {0} IN ('1','1.0','STATUS_CODE_OK','OK','Ok') THEN '1' ELSE '0' END)";
}
