using System.Text.RegularExpressions;
using static AgentMark.Core.Filtering.FilterOperator;

namespace AgentMark.Core.Filtering;

/// <summary>Which resource a filter selects: each has its own field set (wire-contract §10.5).</summary>
public enum FilterSurface
{
    /// <summary>Traces (and requests): the shared trace/span field set evaluated on traces.</summary>
    Traces,
    /// <summary>Spans: the shared trace/span field set evaluated on each span.</summary>
    Spans,
    /// <summary>Scores: their own static field set, no dynamic fields.</summary>
    Scores,
}

/// <summary>How a field's values are typed and compared.</summary>
public enum FilterFieldKind { String, Numeric, Status, Tags, Metadata, Score, DateTime }

/// <summary>A static field: its name, kind and allowed operators in schema order.</summary>
public sealed record FilterFieldSpec(string Name, FilterFieldKind Kind, IReadOnlyList<FilterOperator> Operators);

/// <summary>A dynamic field family such as <c>metadata.&lt;key&gt;</c>.</summary>
public sealed record DynamicFieldSpec(string Pattern, string Prefix, string KeyPattern, FilterFieldKind Kind, IReadOnlyList<FilterOperator> Operators)
{
    internal Regex KeyRegex { get; } = new(KeyPattern, RegexOptions.CultureInvariant);
}

/// <summary>A field name resolved against a surface: canonical name, kind, and the dynamic key if any.</summary>
public sealed record FilterField(string Name, FilterFieldKind Kind, string? Key, IReadOnlyList<FilterOperator> Operators);

/// <summary>
/// The field catalogue (wire-contract §10.5): one definition that the parser validates against,
/// the store compilers switch on and <c>GET /v1/filter-schema</c> prints, so they cannot drift.
/// </summary>
public static class FilterCatalog
{
    public const int MaxPredicates = 20;
    public const int MaxInValues = 50;
    public const int MaxTopLevelNodes = 20;
    public const int MaxValueLength = 500;
    public const int MaxFieldLength = 128;

    // Operator orders: DSL operators as §10.5 lists them, then the JSON-only extras (§10.7).
    private static readonly FilterOperator[] StringOps = [Equal, NotEqual, Contains, NotContains, StartsWith, EndsWith, In, NotIn];
    private static readonly FilterOperator[] NumericOps = [Equal, NotEqual, Gt, Gte, Lt, Lte, In, NotIn, Between];
    private static readonly FilterOperator[] StatusOps = [Equal];
    private static readonly FilterOperator[] TagOps = [Equal, NotEqual, Contains, In, NotIn];
    private static readonly FilterOperator[] MetadataOps = [Equal, NotEqual, Contains, NotContains, StartsWith, EndsWith, Exists, DoesNotExist, In, NotIn];
    private static readonly FilterOperator[] ScoreOps = [Equal, NotEqual, Gt, Gte, Lt, Lte, Between];
    private static readonly FilterOperator[] DateTimeOps = [Gt, Gte, Lt, Lte, Between];

    private static readonly FilterFieldSpec[] TraceFields =
    [
        new("model", FilterFieldKind.String, StringOps),
        new("user_id", FilterFieldKind.String, StringOps),
        new("session_id", FilterFieldKind.String, StringOps),
        new("trace_id", FilterFieldKind.String, StringOps),
        new("prompt_name", FilterFieldKind.String, StringOps),
        new("input", FilterFieldKind.String, StringOps),
        new("output", FilterFieldKind.String, StringOps),
        new("props", FilterFieldKind.String, StringOps),
        new("semantic_kind", FilterFieldKind.String, StringOps),
        new("latency_ms", FilterFieldKind.Numeric, NumericOps),
        new("cost", FilterFieldKind.Numeric, NumericOps),
        new("prompt_tokens", FilterFieldKind.Numeric, NumericOps),
        new("completion_tokens", FilterFieldKind.Numeric, NumericOps),
        new("status", FilterFieldKind.Status, StatusOps),
        new("tags", FilterFieldKind.Tags, TagOps),
    ];

    private static readonly DynamicFieldSpec[] TraceDynamicFields =
    [
        new("metadata.<key>", "metadata.", "^[a-zA-Z_][a-zA-Z0-9_]{0,63}$", FilterFieldKind.Metadata, MetadataOps),
        new("score__<name>", "score__", "^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$", FilterFieldKind.Score, ScoreOps),
    ];

    private static readonly FilterFieldSpec[] ScoreFields =
    [
        new("name", FilterFieldKind.String, StringOps),
        new("source", FilterFieldKind.String, StringOps),
        new("user_id", FilterFieldKind.String, StringOps),
        new("resource_id", FilterFieldKind.String, StringOps),
        new("label", FilterFieldKind.String, StringOps),
        new("score", FilterFieldKind.Numeric, NumericOps),
        new("created_at", FilterFieldKind.DateTime, DateTimeOps),
    ];

    /// <summary>Legacy names (FILTER_CONSTANTS) mapped to the canonical field, traces and spans only.</summary>
    private static readonly Dictionary<string, string> TraceAliases = new(StringComparer.Ordinal)
    {
        ["model_used"] = "model",
        ["user"] = "user_id",
        ["latency"] = "latency_ms",
    };

    public static IReadOnlyList<FilterFieldSpec> Fields(FilterSurface surface) => surface == FilterSurface.Scores ? ScoreFields : TraceFields;

    public static IReadOnlyList<DynamicFieldSpec> DynamicFields(FilterSurface surface) => surface == FilterSurface.Scores ? [] : TraceDynamicFields;

    public static string SurfaceName(FilterSurface surface) => surface switch
    {
        FilterSurface.Traces => "traces",
        FilterSurface.Spans => "spans",
        _ => "scores",
    };

    public static string KindName(FilterFieldKind kind) => kind switch
    {
        FilterFieldKind.String => "string",
        FilterFieldKind.Numeric => "numeric",
        FilterFieldKind.Status => "status",
        FilterFieldKind.Tags => "tags",
        FilterFieldKind.Metadata => "metadata",
        FilterFieldKind.Score => "score",
        _ => "datetime",
    };

    /// <summary>Resolves a field name as a client wrote it; the error says what is wrong with it.</summary>
    public static bool TryResolve(string name, FilterSurface surface, out FilterField field, out string error)
    {
        var canonical = surface != FilterSurface.Scores && TraceAliases.TryGetValue(name, out var alias) ? alias : name;
        foreach (var spec in Fields(surface))
        {
            if (spec.Name != canonical) continue;
            field = new FilterField(spec.Name, spec.Kind, null, spec.Operators);
            error = "";
            return true;
        }
        foreach (var dynamic in DynamicFields(surface))
        {
            if (!name.StartsWith(dynamic.Prefix, StringComparison.Ordinal)) continue;
            var key = name[dynamic.Prefix.Length..];
            if (!dynamic.KeyRegex.IsMatch(key))
            {
                field = null!;
                error = $"Invalid field '{name}': the part after '{dynamic.Prefix}' must match {dynamic.KeyPattern}";
                return false;
            }
            field = new FilterField(dynamic.Prefix + key, dynamic.Kind, key, dynamic.Operators);
            error = "";
            return true;
        }
        field = null!;
        error = surface == FilterSurface.Scores
            ? $"Unknown field '{name}' for scores; expected one of {string.Join(", ", ScoreFields.Select(f => f.Name))}"
            : $"Unknown field '{name}' for {SurfaceName(surface)}; expected one of {string.Join(", ", TraceFields.Select(f => f.Name))}, metadata.<key> or score__<name>";
        return false;
    }
}
