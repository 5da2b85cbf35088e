using System.Text;
using AgentMark.Core.Filtering;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Compiles a validated <see cref="FilterExpression"/> to a SQLite WHERE fragment for one surface:
/// traces (the <c>traces</c> summary table aliased <c>t</c>), spans (<c>spans</c> aliased <c>s</c>) or
/// scores (<c>scores</c>, alias chosen by the caller). Every value goes in as a parameter appended to
/// <c>parameters</c> (named <c>$f&lt;n&gt;</c>); nothing a client wrote is ever part of the SQL text.
/// </summary>
/// <remarks>
/// Semantics (wire-contract §10.6). On traces, trace-level fields read the summary row; fields that
/// several spans of a trace carry (model, user, session, prompt name, tokens, metadata, scores…) match
/// when any span matches, and their negative operators (notEquals, notContains, notIn,
/// doesNotExist) mean that no span matches the positive one, as §10.6 defines for tags. String
/// contains/startsWith/endsWith use LIKE, so they ignore case for ASCII letters.
/// </remarks>
public static class SqliteFilterCompiler
{
    /// <summary>The WHERE fragment over <c>traces t</c>; "" when the filter is empty.</summary>
    /// <param name="appParameter">The parameter already bound to the app id (keys are looked up per app).</param>
    public static string Traces(FilterExpression filter, List<(string Name, object Value)> parameters, string appParameter = "$app") =>
        Compile(filter, new Context(parameters, FilterSurface.Traces, "t", appParameter));

    /// <summary>The WHERE fragment over <c>spans s</c>; "" when the filter is empty.</summary>
    /// <param name="appParameter">The parameter already bound to the app id (trace ids are looked up per app).</param>
    public static string Spans(FilterExpression filter, List<(string Name, object Value)> parameters, string appParameter = "$app") =>
        Compile(filter, new Context(parameters, FilterSurface.Spans, "s", appParameter));

    /// <summary>The WHERE fragment over the <c>scores</c> table aliased <paramref name="alias"/>; "" when empty.</summary>
    public static string Scores(FilterExpression filter, List<(string Name, object Value)> parameters, string alias = "sc") =>
        Compile(filter, new Context(parameters, FilterSurface.Scores, alias, ""));

    private sealed record Context(List<(string Name, object Value)> Parameters, FilterSurface Surface, string Alias, string App)
    {
        public string Bind(object value)
        {
            var name = "$f" + Parameters.Count;
            Parameters.Add((name, value));
            return name;
        }
    }

    private static string Compile(FilterExpression filter, Context context)
    {
        if (filter.IsEmpty) return "";
        var sql = new StringBuilder();
        foreach (var clause in filter.Clauses)
        {
            if (sql.Length > 0) sql.Append(" AND ");
            sql.Append('(');
            for (var i = 0; i < clause.Predicates.Count; i++)
            {
                if (i > 0) sql.Append(" OR ");
                sql.Append('(').Append(Predicate(clause.Predicates[i], context)).Append(')');
            }
            sql.Append(')');
        }
        return sql.ToString();
    }

    private static string Predicate(FilterPredicate p, Context c) => c.Surface switch
    {
        FilterSurface.Traces => TracePredicate(p, c),
        FilterSurface.Spans => SpanPredicate(p, c),
        _ => ScorePredicate(p, c),
    };

    // ---- scores ----

    private static string ScorePredicate(FilterPredicate p, Context c)
    {
        var a = c.Alias;
        return p.Field.Name switch
        {
            "score" => Compare($"{a}.score", p.Operator, p.Values, c, numeric: true),
            "created_at" => Compare($"{a}.created_at_ms", p.Operator, p.Values, c, numeric: true, asInteger: true),
            var column => Compare($"{a}.{Column(column, "name", "source", "user_id", "resource_id", "label")}", p.Operator, p.Values, c),
        };
    }

    // ---- spans: every field on the span itself ----

    private static string SpanPredicate(FilterPredicate p, Context c)
    {
        var field = p.Field;
        // The spans' trace index is keyed by the trace's arrival number (migration 10): the ids are
        // looked up in traces first, so the index serves them. Other operators compare the column.
        if (field.Name == "trace_id" && p.Operator is FilterOperator.Equal or FilterOperator.In)
            return $"s.trace_seq IN (SELECT seq FROM traces WHERE app_id = {c.App} AND {Compare("trace_id", p.Operator, p.Values, c)})";
        switch (field.Kind)
        {
            case FilterFieldKind.Status:
                return $"{string.Format(SpanColumns.NormalizedStatusSql, "s.status_code")} = {c.Bind(p.Value.Text)}";
            case FilterFieldKind.Numeric:
                return Compare(SpanNumericColumn("s", field.Name), p.Operator, p.Values, c, numeric: true);
            case FilterFieldKind.Tags:
                // A span's tags are its trace's tags (§10.6).
                return AnyOf(p.Operator, TraceHasTag("s.app_id", "s.trace_id", "t2", FilterOperators.Positive(p.Operator), p.Values, c));
            case FilterFieldKind.Metadata:
                return MetadataTest("s", field.Key!, p.Operator, p.Values, c);
            case FilterFieldKind.Score:
                return AnyOf(p.Operator, $"EXISTS (SELECT 1 FROM scores sc WHERE sc.app_id = s.app_id AND sc.resource_id = s.span_id AND sc.name = {c.Bind(field.Key!)} AND " +
                    Compare("sc.score", FilterOperators.Positive(p.Operator), p.Values, c, numeric: true) + ")");
            default:
                return Compare(SpanStringColumn("s", field.Name), p.Operator, p.Values, c);
        }
    }

    // ---- traces: summary columns, trace keys, or "any span of the trace" ----

    private static string TracePredicate(FilterPredicate p, Context c)
    {
        var field = p.Field;
        var positive = FilterOperators.Positive(p.Operator);
        switch (field.Name)
        {
            case "trace_id":
                return Compare("t.trace_id", p.Operator, p.Values, c);
            case "status":
                return $"t.status = {c.Bind(p.Value.Text)}";
            case "latency_ms":
                return Compare("t.latency_ms", p.Operator, p.Values, c, numeric: true);
            case "cost":
                return Compare("t.cost", p.Operator, p.Values, c, numeric: true);
            case "input":
                return Compare(TraceIoSql("input"), p.Operator, p.Values, c);
            case "output":
                return Compare(TraceIoSql("output"), p.Operator, p.Values, c);
            case "tags":
                return AnyOf(p.Operator, TraceHasTag("t.app_id", "t.trace_id", "t", positive, p.Values, c));
            case "model" or "user_id" or "session_id" when p.Values.All(v => v.Text.Length > 0):
                return AnyOf(p.Operator, TraceKeyTest(field.Name, positive, p.Values, c));
        }
        if (field.Kind == FilterFieldKind.Score)
        {
            // Scores attach to the trace id or to any of its span ids.
            var name = c.Bind(field.Key!);
            var onTrace = $"EXISTS (SELECT 1 FROM scores sc WHERE sc.app_id = t.app_id AND sc.resource_id = t.trace_id AND sc.name = {name} AND " +
                Compare("sc.score", positive, p.Values, c, numeric: true) + ")";
            var onSpan = $"EXISTS (SELECT 1 FROM spans s2 {SpanColumns.ByTrace} JOIN scores sc ON sc.app_id = s2.app_id AND sc.resource_id = s2.span_id AND sc.name = {name} " +
                $"WHERE s2.app_id = t.app_id AND s2.trace_seq = t.seq AND " + Compare("sc.score", positive, p.Values, c, numeric: true) + ")";
            return AnyOf(p.Operator, $"({onTrace} OR {onSpan})");
        }

        // Any span of the trace, found through the trace index (a handful of rows per trace).
        string spanTest = field.Kind switch
        {
            FilterFieldKind.Metadata => MetadataTest("s2", field.Key!, positive, p.Values, c),
            FilterFieldKind.Numeric => Compare(SpanNumericColumn("s2", field.Name), positive, p.Values, c, numeric: true),
            _ => Compare(SpanStringColumn("s2", field.Name), positive, p.Values, c),
        };
        return AnyOf(p.Operator, $"EXISTS (SELECT 1 FROM spans s2 {SpanColumns.ByTrace} WHERE s2.app_id = t.app_id AND s2.trace_seq = t.seq AND {spanTest})");
    }

    /// <summary>
    /// Model, user and session through <c>trace_keys</c> (one row per distinct value per trace). Users
    /// and sessions are selective, so the key list drives the query (IN); models are few and shared by
    /// many traces, so a point lookup per candidate trace (EXISTS, by the trace's arrival number, which
    /// keys <c>trace_keys</c> after the value) keeps a first page from reading them all.
    /// </summary>
    private static string TraceKeyTest(string field, FilterOperator positive, IReadOnlyList<FilterValue> values, Context c)
    {
        var kind = field switch { "model" => TraceKeys.Model, "user_id" => TraceKeys.User, _ => TraceKeys.Session };
        var test = Compare("k.value", positive, values, c);
        return kind == TraceKeys.Model && positive is FilterOperator.Equal or FilterOperator.In
            ? $"EXISTS (SELECT 1 FROM trace_keys k WHERE k.app_id = t.app_id AND k.kind = '{kind}' AND {test} AND k.trace_seq = t.seq)"
            : $"t.trace_id IN (SELECT k.trace_id FROM trace_keys k WHERE k.app_id = {c.App} AND k.kind = '{kind}' AND {test})";
    }

    /// <summary>The trace (by app and id) carries a tag satisfying the positive operator.</summary>
    private static string TraceHasTag(string app, string traceId, string traceAlias, FilterOperator positive, IReadOnlyList<FilterValue> values, Context c)
    {
        var traceSeq = traceAlias == "t" ? "t.seq" : $"(SELECT t2.seq FROM traces t2 WHERE t2.app_id = {app} AND t2.trace_id = {traceId})";
        if (positive == FilterOperator.Contains)
        {
            var tags = traceAlias == "t" ? "t.tags" : $"(SELECT t2.tags FROM traces t2 WHERE t2.app_id = {app} AND t2.trace_id = {traceId})";
            return $"EXISTS (SELECT 1 FROM json_each({tags}) j WHERE {Compare("j.value", FilterOperator.Contains, values, c)})";
        }
        return $"EXISTS (SELECT 1 FROM trace_keys k WHERE k.app_id = {app} AND k.kind = '{TraceKeys.Tag}' AND {Compare("k.value", positive, values, c)} AND k.trace_seq = {traceSeq})";
    }

    /// <summary>
    /// <c>metadata.&lt;key&gt;</c> on one span row. The JSON path is a parameter; a missing key reads as "",
    /// so exists means present and non-empty.
    /// </summary>
    private static string MetadataTest(string alias, string key, FilterOperator op, IReadOnlyList<FilterValue> values, Context c)
    {
        var value = $"coalesce(json_extract({alias}.metadata, {c.Bind("$.\"" + key + "\"")}), '')";
        return op switch
        {
            FilterOperator.Exists => $"{value} <> ''",
            FilterOperator.DoesNotExist => $"{value} = ''",
            _ => Compare(value, op, values, c),
        };
    }

    /// <summary>Wraps a positive "some value matches" test for the operator: negative operators mean none does.</summary>
    private static string AnyOf(FilterOperator op, string positiveTest) =>
        FilterOperators.IsNegative(op) ? $"NOT {positiveTest}" : positiveTest;

    /// <summary>Trace-level input/output derived as ingestion §5.3: the root span's, else the first (input) or last (output) generation's.</summary>
    private static string TraceIoSql(string column)
    {
        var generationOrder = column == "input" ? "g.start_ns, g.id" : "g.start_ns DESC, g.id DESC";
        return $"coalesce(" +
            $"(SELECT nullif(p.{column}, '') FROM spans r {SpanColumns.ByTrace} LEFT JOIN span_payloads p ON p.span_row = r.id " +
            $"WHERE r.app_id = t.app_id AND r.trace_seq = t.seq ORDER BY coalesce(r.parent_span_id, '') <> '', r.start_ns, r.id LIMIT 1), " +
            $"(SELECT p.{column} FROM spans g {SpanColumns.ByTrace} JOIN span_payloads p ON p.span_row = g.id " +
            $"WHERE g.app_id = t.app_id AND g.trace_seq = t.seq AND g.type = 'GENERATION' AND p.{column} <> '' ORDER BY {generationOrder} LIMIT 1), '')";
    }

    private static string SpanStringColumn(string alias, string field) => field switch
    {
        "input" or "output" or "props" => $"coalesce((SELECT p.{field} FROM span_payloads p WHERE p.span_row = {alias}.id), '')",
        _ => $"{alias}.{Column(field, "model", "user_id", "session_id", "trace_id", "prompt_name", "semantic_kind")}",
    };

    private static string SpanNumericColumn(string alias, string field) => field switch
    {
        "latency_ms" => $"{alias}.duration_ms",
        "cost" => $"{alias}.cost",
        "prompt_tokens" => $"{alias}.input_tokens",
        "completion_tokens" => $"{alias}.output_tokens",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a numeric span field"),
    };

    /// <summary>A column name from the catalogue, checked against the known list so no other text reaches SQL.</summary>
    private static string Column(string field, params string[] known) =>
        Array.IndexOf(known, field) >= 0 ? field : throw new ArgumentOutOfRangeException(nameof(field), field, "not a known column");

    /// <summary>One comparison of a non-null SQL expression with the predicate's values.</summary>
    private static string Compare(string expression, FilterOperator op, IReadOnlyList<FilterValue> values, Context c, bool numeric = false, bool asInteger = false)
    {
        object Value(FilterValue v) => !numeric ? v.Text : asInteger ? (object)(long)v.Number : v.Number;
        string List() => string.Join(", ", values.Select(v => c.Bind(Value(v))));
        return op switch
        {
            FilterOperator.Equal => $"{expression} = {c.Bind(Value(values[0]))}",
            FilterOperator.NotEqual => $"{expression} <> {c.Bind(Value(values[0]))}",
            FilterOperator.Gt => $"{expression} > {c.Bind(Value(values[0]))}",
            FilterOperator.Gte => $"{expression} >= {c.Bind(Value(values[0]))}",
            FilterOperator.Lt => $"{expression} < {c.Bind(Value(values[0]))}",
            FilterOperator.Lte => $"{expression} <= {c.Bind(Value(values[0]))}",
            FilterOperator.In => $"{expression} IN ({List()})",
            FilterOperator.NotIn => $"{expression} NOT IN ({List()})",
            FilterOperator.Between => $"{expression} BETWEEN {c.Bind(Value(values[0]))} AND {c.Bind(Value(values[1]))}",
            FilterOperator.Contains => $"{expression} LIKE {c.Bind("%" + EscapeLike(values[0].Text) + "%")} ESCAPE '\\'",
            FilterOperator.NotContains => $"{expression} NOT LIKE {c.Bind("%" + EscapeLike(values[0].Text) + "%")} ESCAPE '\\'",
            FilterOperator.StartsWith => $"{expression} LIKE {c.Bind(EscapeLike(values[0].Text) + "%")} ESCAPE '\\'",
            FilterOperator.EndsWith => $"{expression} LIKE {c.Bind("%" + EscapeLike(values[0].Text))} ESCAPE '\\'",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "operator has no comparison"),
        };
    }

    internal static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
