using AgentMark.Core.Spans;
using AgentMark.Storage.Experiments;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Experiments derived from dataset-run spans (templates-and-evals §7), read through the partial
/// index <c>spans_by_dataset_run</c>, which holds only spans that carry a dataset run id.
/// </summary>
public sealed partial class SqliteTraceStore : IExperimentStore
{
    /// <summary>Where <see cref="ExperimentsSql"/> narrows the run roots to one run.</summary>
    private const string RunFilter = "/*run*/";
    private const string ByDatasetRun = "INDEXED BY spans_by_dataset_run";
    private const string IsRoot = "(s.parent_span_id IS NULL OR s.parent_span_id = '')";

    /// <summary>
    /// One row per experiment with every aggregate of §7.2. <see cref="RunFilter"/> marks where the run roots may be narrowed to one run.
    /// Sums over "run roots × their traces' model spans" follow the definition literally.
    /// </summary>
    private const string ExperimentsSql = $"""
        WITH roots AS MATERIALIZED (
            SELECT s.dataset_run_id AS run_id, s.trace_id, s.trace_seq, s.duration_ms, s.created_at_ms, s.start_ns,
                   s.dataset_run_name, s.dataset_path, s.prompt_name,
                   CASE WHEN json_valid(s.metadata) THEN json_extract(s.metadata, '$.commit_sha') END AS commit_sha
            FROM spans s {ByDatasetRun}
            WHERE s.app_id = $app AND s.dataset_run_id <> '' AND {IsRoot} /*run*/
        ),
        base AS (
            SELECT run_id, COUNT(DISTINCT trace_id) AS item_count, avg(duration_ms) AS avg_latency,
                   min(created_at_ms) AS created, max(created_at_ms) AS ended,
                   max(nullif(dataset_path, '')) AS dataset_path, max(nullif(prompt_name, '')) AS root_prompt,
                   max(nullif(commit_sha, '')) AS commit_sha
            FROM roots GROUP BY run_id
        ),
        names AS (
            -- SQLite takes a bare column from the row holding the min(): the first non-empty name in time.
            SELECT run_id, dataset_run_name AS name, min(start_ns) FROM roots WHERE dataset_run_name <> '' GROUP BY run_id
        ),
        gen AS (
            SELECT r.run_id, total(m.cost) AS cost, total(m.total_tokens) AS tokens, max(nullif(m.prompt_name, '')) AS prompt
            FROM roots r JOIN spans m {SpanColumns.ByTrace} ON m.app_id = $app AND m.trace_seq = r.trace_seq
            WHERE m.model <> '' GROUP BY r.run_id
        ),
        run_traces AS (
            SELECT DISTINCT s.dataset_run_id AS run_id, s.trace_id FROM spans s {ByDatasetRun}
            WHERE s.app_id = $app AND s.dataset_run_id <> '' AND s.dataset_run_id IN (SELECT run_id FROM base)
        ),
        scored AS (
            SELECT t.run_id, avg(c.score) AS avg_score
            FROM run_traces t JOIN scores c ON c.app_id = $app AND c.resource_id = t.trace_id
            GROUP BY t.run_id
        )
        SELECT b.run_id AS id, coalesce(n.name, b.run_id) AS name, coalesce(g.prompt, b.root_prompt, '') AS prompt_name,
               coalesce(b.dataset_path, '') AS dataset_path, b.item_count, b.avg_latency, coalesce(g.cost, 0) AS total_cost,
               coalesce(g.tokens, 0) AS total_tokens, sc.avg_score, coalesce(b.commit_sha, '') AS commit_sha, b.created, b.ended
        FROM base b
        LEFT JOIN names n ON n.run_id = b.run_id
        LEFT JOIN gen g ON g.run_id = b.run_id
        LEFT JOIN scored sc ON sc.run_id = b.run_id
        """;

    public async Task<Page<ExperimentSummary>> ListExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var parameters = new List<(string, object)> { ("$app", query.AppId) };
        var filters = new List<string>();
        // The derived values are filtered, so the aggregate query runs as a subquery.
        if (query.PromptName is { } prompt) { filters.Add("prompt_name = $prompt"); parameters.Add(("$prompt", prompt)); }
        if (query.DatasetPath is { } path) { filters.Add("dataset_path = $path"); parameters.Add(("$path", path)); }
        if (query.CreatedFromMs is { } from) { filters.Add("created >= $from"); parameters.Add(("$from", from)); }
        if (query.CreatedBeforeMs is { } before) { filters.Add("created < $before"); parameters.Add(("$before", before)); }
        var sql = $"""
            SELECT * FROM ({ExperimentsSql.Replace(RunFilter, "")})
            {(filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters))}
            ORDER BY created DESC, id DESC
            """;
        // Experiments are few next to spans: read them all, count and page here.
        var all = await ReadSummariesAsync(connection, sql, parameters, cancellationToken);
        var page = all.Skip(query.Offset).Take(query.Limit).ToList();
        return new Page<ExperimentSummary>(page, all.Count, query.Limit, query.Offset);
    }

    public async Task<ExperimentDetail?> GetExperimentAsync(string appId, string experimentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        List<(string, object)> parameters = [("$app", appId), ("$run", experimentId)];
        var summaries = await ReadSummariesAsync(connection, ExperimentsSql.Replace(RunFilter, "AND s.dataset_run_id = $run"), parameters, cancellationToken);
        if (summaries.Count == 0) return null;

        var roots = await RunRootsAsync(connection, appId, experimentId, cancellationToken);
        var modelSpans = new Dictionary<string, List<SpanRecord>>(StringComparer.Ordinal);
        await using (var command = Command(connection, $"""
            SELECT {SpanColumns.Select(SpanDetail.Full)} FROM {SpanColumns.From(SpanDetail.Full, SpanColumns.ByTrace)}
            WHERE s.app_id = $app AND s.model <> '' AND s.trace_seq IN ({RunRootTraceSeqs})
            ORDER BY s.start_ns, s.id
            """, parameters))
        {
            foreach (var span in await ReadSpansAsync(command, SpanDetail.Full, cancellationToken))
            {
                if (!modelSpans.TryGetValue(span.TraceId, out var list)) modelSpans[span.TraceId] = list = [];
                list.Add(span);
            }
        }
        var scores = await RunScoresAsync(connection, parameters, cancellationToken);
        var items = roots.Select(root => ExperimentItems.Build(root,
            modelSpans.GetValueOrDefault(root.TraceId) ?? [],
            scores.GetValueOrDefault(root.TraceId) ?? [])).ToList();
        return new ExperimentDetail(summaries[0], items);
    }

    public async Task<Baseline?> GetBaselineAsync(string appId, string experimentKey, string treeHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        string runId, runTree;
        bool exact;
        await using (var command = Command(connection, $"""
            SELECT run_id, tree, tree = $tree AS exact FROM (
                SELECT s.dataset_run_id AS run_id, coalesce(max(nullif(s.source_tree_hash, '')), '') AS tree, max(s.created_at_ms) AS recency
                FROM spans s {ByDatasetRun}
                WHERE s.app_id = $app AND s.dataset_run_id <> '' AND {IsRoot} AND s.experiment_key = $key
                GROUP BY s.dataset_run_id)
            ORDER BY exact DESC, recency DESC, run_id DESC LIMIT 1
            """, [("$app", appId), ("$key", experimentKey), ("$tree", treeHash)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return null;
            runId = reader.GetString(0);
            runTree = reader.GetString(1);
            exact = reader.GetInt64(2) == 1;
        }

        List<(string, object)> parameters = [("$app", appId), ("$run", runId)];
        var roots = await RunRootsAsync(connection, appId, runId, cancellationToken);
        var scores = await RunScoresAsync(connection, parameters, cancellationToken);
        var items = roots.Select(root => new BaselineItem(
            root.TraceId,
            root.DatasetInput.Length > 0 ? root.DatasetInput : root.Input ?? "",
            scores.GetValueOrDefault(root.TraceId) ?? [])).ToList();
        return new Baseline(runId, runTree, exact, items);
    }

    public async Task<IReadOnlyDictionary<string, SpanRecord>> FindSpansByIdAsync(string appId, IReadOnlyCollection<string> spanIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, SpanRecord>(StringComparer.Ordinal);
        if (spanIds.Count == 0) return found;
        await using var connection = await OpenReaderAsync(cancellationToken);
        var parameters = new List<(string, object)> { ("$app", appId) };
        foreach (var id in spanIds.Distinct(StringComparer.Ordinal)) parameters.Add(("$id" + parameters.Count, id));
        var ids = string.Join(", ", parameters.Skip(1).Select(p => p.Item1));
        // No index leads with span_id (it would tax every ingested span); the trace index covers
        // (app_id, trace_seq, span_id), so the app's slice of it is scanned instead of the table.
        await using var command = Command(connection, $"""
            SELECT {SpanColumns.Select(SpanDetail.WithIo)} FROM {SpanColumns.From(SpanDetail.WithIo, SpanColumns.ByTrace)}
            WHERE s.app_id = $app AND s.span_id IN ({ids})
            ORDER BY s.start_ns, s.id
            """, parameters);
        // Start ascending, so the most recent span with an id is the one left in the map.
        foreach (var span in await ReadSpansAsync(command, SpanDetail.WithIo, cancellationToken)) found[span.SpanId] = span;
        return found;
    }

    /// <summary>Trace ids of the run roots of <c>$run</c>.</summary>
    private const string RunRootTraceIds =
        $"SELECT s.trace_id FROM spans s {ByDatasetRun} WHERE s.app_id = $app AND s.dataset_run_id <> '' AND s.dataset_run_id = $run AND {IsRoot}";

    /// <summary>The same traces' arrival numbers, which the trace index is keyed by.</summary>
    private const string RunRootTraceSeqs =
        $"SELECT s.trace_seq FROM spans s {ByDatasetRun} WHERE s.app_id = $app AND s.dataset_run_id <> '' AND s.dataset_run_id = $run AND {IsRoot}";

    private static async Task<List<SpanRecord>> RunRootsAsync(SqliteConnection connection, string appId, string runId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"""
            SELECT {SpanColumns.Select(SpanDetail.WithIo)} FROM {SpanColumns.From(SpanDetail.WithIo, ByDatasetRun)}
            WHERE s.app_id = $app AND s.dataset_run_id <> '' AND s.dataset_run_id = $run AND {IsRoot}
            ORDER BY s.start_ns, s.id
            """, [("$app", appId), ("$run", runId)]);
        return await ReadSpansAsync(command, SpanDetail.WithIo, cancellationToken);
    }

    /// <summary>Scores on the run roots' traces, oldest first, by trace id.</summary>
    private static async Task<Dictionary<string, List<ExperimentScore>>> RunScoresAsync(SqliteConnection connection, List<(string, object)> parameters, CancellationToken cancellationToken)
    {
        var scores = new Dictionary<string, List<ExperimentScore>>(StringComparer.Ordinal);
        await using var command = Command(connection, $"""
            SELECT c.resource_id, c.name, c.score, c.label, c.reason FROM scores c
            WHERE c.app_id = $app AND c.resource_id IN ({RunRootTraceIds})
            ORDER BY c.created_at_ms, c.rowid
            """, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var traceId = reader.GetString(0);
            if (!scores.TryGetValue(traceId, out var list)) scores[traceId] = list = [];
            list.Add(new ExperimentScore(reader.GetString(1), reader.GetDouble(2), reader.GetString(3), reader.GetString(4)));
        }
        return scores;
    }

    private static async Task<List<ExperimentSummary>> ReadSummariesAsync(SqliteConnection connection, string sql, List<(string, object)> parameters, CancellationToken cancellationToken)
    {
        var result = new List<ExperimentSummary>();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ExperimentSummary
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                PromptName = reader.GetString(2),
                DatasetPath = reader.GetString(3),
                ItemCount = reader.GetInt64(4),
                AvgLatencyMs = reader.IsDBNull(5) ? 0 : reader.GetDouble(5),
                TotalCost = reader.GetDouble(6),
                TotalTokens = (long)reader.GetDouble(7),
                AvgScore = reader.IsDBNull(8) ? null : reader.GetDouble(8),
                CommitSha = reader.GetValue(9)?.ToString() ?? "",
                CreatedAtMs = reader.GetInt64(10),
                EndMs = reader.GetInt64(11),
            });
        }
        return result;
    }
}
