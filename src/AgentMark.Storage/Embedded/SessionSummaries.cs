using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Keeps the <c>sessions</c> summary (ingestion §5.6) current inside the writer's transaction, so the
/// session list reads one row per session instead of aggregating spans.
/// <para>
/// A session's aggregates run over every span of every trace having a span in the session, so each
/// (session, trace) pair keeps that trace's contribution in <c>session_traces</c>. Only traces touched
/// by the commit are looked at: a new trace is summarized from the batch, a stored one from its stored
/// spans. Contributions that only grow (the normal case: more spans of a trace arriving) are applied
/// as deltas; one that may have narrowed an extreme (a re-sent span with other values, a span moved
/// to another session) recomputes its session from <c>session_traces</c>.
/// </para>
/// </summary>
internal sealed class SessionSummaries(SqliteConnection connection) : IDisposable
{
    private SqliteTransaction? _transaction;
    private RawStatement? _traceSpans, _traceMembers, _writeMember, _deleteMember, _session, _sessionMembers, _writeSession, _deleteSession, _addCount;
    private readonly Dictionary<(string App, string Session), Delta> _deltas = [];

    /// <summary>What this commit changes in one session.</summary>
    private sealed class Delta
    {
        /// <summary>New members absorbed, plus the cost/token differences of grown ones.</summary>
        public readonly Totals Added = Totals.Empty();
        public bool Recompute;
    }

    /// <summary>
    /// Records one trace touched by the commit. Call after the trace's spans are written.
    /// </summary>
    /// <param name="batchSpans">The commit's spans of this trace (a span sent twice: the last copy wins).</param>
    /// <param name="traceSeq">The trace's arrival number (<c>traces.seq</c>).</param>
    /// <param name="isNewTrace">True when the trace had no stored span before this commit.</param>
    public void Track(SqliteTransaction transaction, string app, string trace, long traceSeq, List<SpanRecord> batchSpans, bool isNewTrace)
    {
        Begin(transaction);
        var batchHasSession = false;
        foreach (var span in batchSpans)
        {
            if (Key(span.SessionId) is not null) { batchHasSession = true; break; }
        }
        if (isNewTrace && !batchHasSession) return;
        var before = isNewTrace ? null : ReadTraceMembers(app, traceSeq);
        if (before is null && !batchHasSession) return;

        var (totals, sessions) = isNewTrace ? Summarize(batchSpans) : SummarizeStored(app, traceSeq);
        foreach (var (session, sessionName) in sessions)
        {
            var member = totals with { SessionName = sessionName };
            var old = before?.GetValueOrDefault(session);
            if (old == member) continue;
            WriteMember(app, session, trace, traceSeq, member);
            var delta = DeltaOf(app, session);
            if (old is null) delta.Added.Absorb(member);
            else if (old.MayNarrowTo(member)) delta.Recompute = true;
            else delta.Added.Grow(old, member);
        }
        if (before is null) return;
        foreach (var session in before.Keys)
        {
            if (sessions.ContainsKey(session)) continue;
            DeleteMember(app, session, trace);
            DeltaOf(app, session).Recompute = true;
        }
    }

    /// <summary>Writes the touched sessions and the per-app session counts. Call once per commit.</summary>
    public void Flush(SqliteTransaction transaction)
    {
        Begin(transaction);
        if (_deltas.Count == 0) return;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((app, session), delta) in _deltas)
        {
            var existing = ReadSession(app, session);
            Totals? updated;
            if (existing is null || delta.Recompute) updated = RecomputeSession(app, session);
            else
            {
                existing.Absorb(delta.Added);
                updated = existing;
            }
            if (updated is not null) WriteSession(app, session, updated);
            else if (existing is not null) DeleteSession(app, session);
            var change = (existing is null ? 0 : -1) + (updated is null ? 0 : 1);
            if (change != 0) counts[app] = counts.GetValueOrDefault(app) + change;
        }
        foreach (var (app, change) in counts)
        {
            _addCount!.Bind(1, app);
            _addCount.Bind(2, change);
            _addCount.Execute();
        }
        _deltas.Clear();
    }

    /// <summary>The session a stored session id belongs to: trimmed, and none for "" or "null" (ingestion §5.6).</summary>
    public static string? Key(string sessionId)
    {
        if (sessionId.Length == 0) return null;
        var trimmed = sessionId.Trim();
        return trimmed.Length == 0 || trimmed == "null" ? null : trimmed;
    }

    private Delta DeltaOf(string app, string session)
    {
        if (!_deltas.TryGetValue((app, session), out var delta)) _deltas[(app, session)] = delta = new Delta();
        return delta;
    }

    /// <summary>A trace's totals and its sessions (each with the smallest session name among the spans carrying it).</summary>
    private static (Totals, Dictionary<string, string>) Summarize(List<SpanRecord> batchSpans)
    {
        var totals = Totals.Empty();
        var sessions = new Dictionary<string, string>(StringComparer.Ordinal);
        HashSet<string>? seen = batchSpans.Count > 1 ? new(StringComparer.Ordinal) : null;
        // Backwards so that the last copy of a span sent twice in one commit is the one counted.
        for (var i = batchSpans.Count - 1; i >= 0; i--)
        {
            var s = batchSpans[i];
            if (seen is not null && !seen.Add(s.SpanId)) continue;
            totals.AddSpan(s.StartTimeUnixNano, s.Cost, s.TotalTokens, s.Duration, s.PromptName, s.TraceName);
            AddSession(sessions, s.SessionId, s.SessionName);
        }
        return (totals, sessions);
    }

    private (Totals, Dictionary<string, string>) SummarizeStored(string app, long traceSeq)
    {
        var totals = Totals.Empty();
        var sessions = new Dictionary<string, string>(StringComparer.Ordinal);
        var q = _traceSpans!;
        q.Bind(1, app);
        q.Bind(2, traceSeq);
        while (q.Step())
        {
            totals.AddSpan(q.Int64(4), q.Double(5), q.Int64(6), q.Int64(7), q.Text(2), q.Text(3));
            AddSession(sessions, q.Text(0), q.Text(1));
        }
        return (totals, sessions);
    }

    private static void AddSession(Dictionary<string, string> sessions, string sessionId, string sessionName)
    {
        if (Key(sessionId) is not { } key) return;
        sessions[key] = sessions.TryGetValue(key, out var name) ? Totals.SmallestNonEmpty(name, sessionName) : sessionName;
    }

    private Dictionary<string, Totals>? ReadTraceMembers(string app, long traceSeq)
    {
        var q = _traceMembers!;
        q.Bind(1, app);
        q.Bind(2, traceSeq);
        Dictionary<string, Totals>? members = null;
        while (q.Step()) (members ??= new(StringComparer.Ordinal))[q.Text(0)] = Totals.Read(q, 1, traceCount: 1);
        return members;
    }

    private Totals? ReadSession(string app, string session)
    {
        var q = _session!;
        q.Bind(1, app);
        q.Bind(2, session);
        if (!q.Step()) return null;
        var totals = Totals.Read(q, 0, q.Int64(8));
        q.Reset();
        return totals;
    }

    private Totals? RecomputeSession(string app, string session)
    {
        var q = _sessionMembers!;
        q.Bind(1, app);
        q.Bind(2, session);
        Totals? totals = null;
        while (q.Step()) (totals ??= Totals.Empty()).Absorb(Totals.Read(q, 0, traceCount: 1));
        return totals;
    }

    private void WriteMember(string app, string session, string trace, long traceSeq, Totals member)
    {
        var p = _writeMember!;
        p.Bind(1, app);
        p.Bind(2, session);
        p.Bind(3, trace);
        p.Bind(4, traceSeq);
        member.Bind(p, 5);
        p.Execute();
    }

    private void DeleteMember(string app, string session, string trace)
    {
        var p = _deleteMember!;
        p.Bind(1, app);
        p.Bind(2, session);
        p.Bind(3, trace);
        p.Execute();
    }

    private void WriteSession(string app, string session, Totals totals)
    {
        var p = _writeSession!;
        p.Bind(1, app);
        p.Bind(2, session);
        p.Bind(3, totals.Name);
        totals.Bind(p, 4);
        p.Bind(12, totals.TraceCount);
        p.Execute();
    }

    private void DeleteSession(string app, string session)
    {
        _deleteSession!.Bind(1, app);
        _deleteSession.Bind(2, session);
        _deleteSession.Execute();
    }

    /// <summary>Notes this commit's transaction (the statements run in it); a new transaction drops what a failed one left.</summary>
    private void Begin(SqliteTransaction transaction)
    {
        if (ReferenceEquals(transaction, _transaction)) return;
        _transaction = transaction;
        _deltas.Clear();
        if (_traceSpans is null)
        {
            // Pinned to the trace indexes for the same reason as the writer's own trace reads.
            _traceSpans = Command("""
                SELECT session_id, session_name, prompt_name, trace_name, start_ns, cost, total_tokens, duration_ms
                FROM spans INDEXED BY spans_by_trace WHERE app_id = $p0 AND trace_seq = $p1
                """);
            _traceMembers = Command($"SELECT session_id, {Totals.Columns} FROM session_traces INDEXED BY session_traces_by_trace WHERE app_id = $p0 AND trace_seq = $p1");
            _writeMember = Command($"INSERT OR REPLACE INTO session_traces (app_id, session_id, trace_id, trace_seq, {Totals.Columns}) VALUES ({Parameters(12)})");
            _deleteMember = Command("DELETE FROM session_traces WHERE app_id = $p0 AND session_id = $p1 AND trace_id = $p2");
            _session = Command($"SELECT {Totals.Columns}, trace_count FROM sessions WHERE app_id = $p0 AND session_id = $p1");
            _sessionMembers = Command($"SELECT {Totals.Columns} FROM session_traces WHERE app_id = $p0 AND session_id = $p1");
            _writeSession = Command($"INSERT OR REPLACE INTO sessions (app_id, session_id, name, {Totals.Columns}, trace_count) VALUES ({Parameters(12)})");
            _deleteSession = Command("DELETE FROM sessions WHERE app_id = $p0 AND session_id = $p1");
            _addCount = Command("""
                INSERT INTO app_counts (app_id, sessions) VALUES ($p0, $p1)
                ON CONFLICT (app_id) DO UPDATE SET sessions = sessions + excluded.sessions
                """);
        }
    }

    private IEnumerable<RawStatement?> Commands() =>
        [_traceSpans, _traceMembers, _writeMember, _deleteMember, _session, _sessionMembers, _writeSession, _deleteSession, _addCount];

    /// <summary>Through SQLitePCLRaw like the writer's own per-span statements; parameters bind by position ($p0 is 1).</summary>
    private RawStatement Command(string sql) => new(connection, sql);

    private static string Parameters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "$p" + i));

    public void Dispose()
    {
        foreach (var command in Commands()) command?.Dispose();
    }

    /// <summary>
    /// Schema of the summary, and its backfill from spans already stored. The backfill trims with
    /// exactly the characters .NET's <see cref="string.Trim()"/> removes, so it agrees with <see cref="Key"/>.
    /// </summary>
    public const string Migration = """
        CREATE TABLE session_traces (
            app_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            trace_id TEXT NOT NULL,
            start_ns INTEGER NOT NULL,
            end_ns INTEGER NOT NULL,
            latency_ms INTEGER NOT NULL,
            cost REAL NOT NULL,
            tokens INTEGER NOT NULL,
            session_name TEXT NOT NULL,
            prompt_name TEXT NOT NULL,
            trace_name TEXT NOT NULL,
            PRIMARY KEY (app_id, session_id, trace_id)
        ) WITHOUT ROWID;
        CREATE INDEX session_traces_by_trace ON session_traces(app_id, trace_id);

        CREATE TABLE sessions (
            app_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            name TEXT NOT NULL,
            start_ns INTEGER NOT NULL,
            end_ns INTEGER NOT NULL,
            latency_ms INTEGER NOT NULL,
            cost REAL NOT NULL, -- sum over the spans (traces use the maximum)
            tokens INTEGER NOT NULL, -- sum of total tokens
            session_name TEXT NOT NULL,
            prompt_name TEXT NOT NULL,
            trace_name TEXT NOT NULL,
            trace_count INTEGER NOT NULL,
            PRIMARY KEY (app_id, session_id)
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_start ON sessions(app_id, start_ns);

        ALTER TABLE app_counts ADD COLUMN sessions INTEGER NOT NULL DEFAULT 0;

        INSERT INTO session_traces (app_id, session_id, trace_id, start_ns, end_ns, latency_ms, cost, tokens, session_name, prompt_name, trace_name)
        SELECT m.app_id, m.session_id, m.trace_id, a.start_ns, a.end_ns, a.latency_ms, a.cost, a.tokens, m.session_name, a.prompt_name, a.trace_name
        FROM (SELECT app_id, trim(session_id, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199,
                                                   8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288)) AS session_id,
                     trace_id, coalesce(min(nullif(session_name, '')), '') AS session_name
              FROM spans WHERE session_id <> '' GROUP BY 1, 2, 3) m
        JOIN (SELECT app_id, trace_id, min(start_ns) AS start_ns, max(start_ns) AS end_ns, max(duration_ms) AS latency_ms,
                     total(cost) AS cost, sum(total_tokens) AS tokens, coalesce(min(nullif(prompt_name, '')), '') AS prompt_name,
                     coalesce(min(nullif(trace_name, '')), '') AS trace_name
              FROM spans GROUP BY app_id, trace_id) a ON a.app_id = m.app_id AND a.trace_id = m.trace_id
        WHERE m.session_id NOT IN ('', 'null');

        INSERT INTO sessions (app_id, session_id, name, start_ns, end_ns, latency_ms, cost, tokens, session_name, prompt_name, trace_name, trace_count)
        SELECT app_id, session_id, '', min(start_ns), max(end_ns), max(latency_ms), total(cost), sum(tokens),
               coalesce(min(nullif(session_name, '')), ''), coalesce(min(nullif(prompt_name, '')), ''),
               coalesce(min(nullif(trace_name, '')), ''), count(*)
        FROM session_traces GROUP BY app_id, session_id;
        UPDATE sessions SET name = CASE WHEN session_name <> '' THEN session_name WHEN prompt_name <> '' THEN prompt_name ELSE trace_name END;
        UPDATE app_counts SET sessions = (SELECT count(*) FROM sessions s WHERE s.app_id = app_counts.app_id);
        """;

    /// <summary>
    /// The §5.6 aggregates over a set of spans: one trace's (a member row, <see cref="TraceCount"/> 1)
    /// or a whole session's. Names keep the ordinal-smallest non-empty candidate of each kind.
    /// </summary>
    private sealed record Totals
    {
        public const string Columns = "start_ns, end_ns, latency_ms, cost, tokens, session_name, prompt_name, trace_name";

        public long StartNs, EndNs, LatencyMs, Tokens, TraceCount;
        public double Cost;
        public string SessionName = "", PromptName = "", TraceName = "";

        public static Totals Empty() => new() { StartNs = long.MaxValue, EndNs = long.MinValue, LatencyMs = long.MinValue };

        /// <summary>Session name, else prompt name, else trace name, else "".</summary>
        public string Name => SessionName.Length > 0 ? SessionName : PromptName.Length > 0 ? PromptName : TraceName;

        public void AddSpan(long startNs, double cost, long tokens, long durationMs, string promptName, string traceName)
        {
            TraceCount = 1;
            StartNs = Math.Min(StartNs, startNs);
            EndNs = Math.Max(EndNs, startNs);
            LatencyMs = Math.Max(LatencyMs, durationMs);
            Cost += cost;
            Tokens += tokens;
            PromptName = SmallestNonEmpty(PromptName, promptName);
            TraceName = SmallestNonEmpty(TraceName, traceName);
        }

        /// <summary>Adds another set of spans (disjoint from this one).</summary>
        public void Absorb(Totals other)
        {
            TraceCount += other.TraceCount;
            Cost += other.Cost;
            Tokens += other.Tokens;
            Widen(other);
        }

        /// <summary>A member grew from <paramref name="old"/> to <paramref name="grown"/>: add the difference.</summary>
        public void Grow(Totals old, Totals grown)
        {
            Cost += grown.Cost - old.Cost;
            Tokens += grown.Tokens - old.Tokens;
            Widen(grown);
        }

        private void Widen(Totals other)
        {
            StartNs = Math.Min(StartNs, other.StartNs);
            EndNs = Math.Max(EndNs, other.EndNs);
            LatencyMs = Math.Max(LatencyMs, other.LatencyMs);
            SessionName = SmallestNonEmpty(SessionName, other.SessionName);
            PromptName = SmallestNonEmpty(PromptName, other.PromptName);
            TraceName = SmallestNonEmpty(TraceName, other.TraceName);
        }

        /// <summary>
        /// True when replacing this member by <paramref name="next"/> may narrow a session extreme (an
        /// earliest start, a name...), which a delta cannot express.
        /// </summary>
        public bool MayNarrowTo(Totals next) =>
            next.StartNs > StartNs || next.EndNs < EndNs || next.LatencyMs < LatencyMs
            || Grew(SessionName, next.SessionName) || Grew(PromptName, next.PromptName) || Grew(TraceName, next.TraceName);

        private static bool Grew(string smallest, string next) =>
            smallest.Length > 0 && (next.Length == 0 || string.CompareOrdinal(next, smallest) > 0);

        public static string SmallestNonEmpty(string current, string candidate) =>
            candidate.Length == 0 || (current.Length > 0 && string.CompareOrdinal(candidate, current) >= 0) ? current : candidate;

        public static Totals Read(RawStatement r, int first, long traceCount) => new()
        {
            StartNs = r.Int64(first),
            EndNs = r.Int64(first + 1),
            LatencyMs = r.Int64(first + 2),
            Cost = r.Double(first + 3),
            Tokens = r.Int64(first + 4),
            SessionName = r.Text(first + 5),
            PromptName = r.Text(first + 6),
            TraceName = r.Text(first + 7),
            TraceCount = traceCount,
        };

        /// <summary>Binds the eight <see cref="Columns"/> from parameter index <paramref name="first"/> (1-based).</summary>
        public void Bind(RawStatement p, int first)
        {
            p.Bind(first, StartNs);
            p.Bind(first + 1, EndNs);
            p.Bind(first + 2, LatencyMs);
            p.Bind(first + 3, Cost);
            p.Bind(first + 4, Tokens);
            p.Bind(first + 5, SessionName);
            p.Bind(first + 6, PromptName);
            p.Bind(first + 7, TraceName);
        }
    }
}
