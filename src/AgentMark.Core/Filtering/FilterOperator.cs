namespace AgentMark.Core.Filtering;

/// <summary>The canonical filter operators (wire-contract §10.2–§10.4).</summary>
public enum FilterOperator
{
    Equal,
    NotEqual,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    Gt,
    Gte,
    Lt,
    Lte,
    Exists,
    DoesNotExist,
    In,
    NotIn,
    Between,
}

/// <summary>Operator names: the canonical spelling and every alias the JSON encodings accept.</summary>
public static class FilterOperators
{
    private static readonly string[] Canonical =
    [
        "equals", "notEquals", "contains", "notContains", "startsWith", "endsWith",
        "gt", "gte", "lt", "lte", "exists", "doesNotExist", "in", "notIn", "between",
    ];

    // Canonical names, the tree form's short aliases (§10.4) and the legacy spellings of
    // FILTER_CONSTANTS.allowedOperators, all accepted in both JSON encodings.
    private static readonly Dictionary<string, FilterOperator> JsonNames = BuildJsonNames();

    public static string Name(FilterOperator op) => Canonical[(int)op];

    /// <summary>Any spelling accepted in a JSON leaf's <c>operator</c> / <c>op</c>; exact, case-sensitive.</summary>
    public static bool TryParseJson(string name, out FilterOperator op) => JsonNames.TryGetValue(name, out op);

    /// <summary>The canonical names in order, for error messages.</summary>
    public static string CanonicalList => string.Join(" | ", Canonical.Select(n => $"'{n}'"));

    /// <summary>exists/doesNotExist take no value.</summary>
    public static bool TakesNoValue(FilterOperator op) => op is FilterOperator.Exists or FilterOperator.DoesNotExist;

    /// <summary>in/notIn/between take an array.</summary>
    public static bool TakesArray(FilterOperator op) => op is FilterOperator.In or FilterOperator.NotIn or FilterOperator.Between;

    /// <summary>True for the operators that say "none matches" (notEquals, notContains, notIn, doesNotExist).</summary>
    public static bool IsNegative(FilterOperator op) =>
        op is FilterOperator.NotEqual or FilterOperator.NotContains or FilterOperator.NotIn or FilterOperator.DoesNotExist;

    /// <summary>The positive counterpart of a negative operator (notEquals → equals, …); others unchanged.</summary>
    public static FilterOperator Positive(FilterOperator op) => op switch
    {
        FilterOperator.NotEqual => FilterOperator.Equal,
        FilterOperator.NotContains => FilterOperator.Contains,
        FilterOperator.NotIn => FilterOperator.In,
        FilterOperator.DoesNotExist => FilterOperator.Exists,
        _ => op,
    };

    private static Dictionary<string, FilterOperator> BuildJsonNames()
    {
        var names = new Dictionary<string, FilterOperator>(StringComparer.Ordinal);
        for (var i = 0; i < Canonical.Length; i++) names[Canonical[i]] = (FilterOperator)i;
        (string, FilterOperator)[] aliases =
        [
            ("eq", FilterOperator.Equal), ("=", FilterOperator.Equal),
            ("ne", FilterOperator.NotEqual), ("neq", FilterOperator.NotEqual), ("!=", FilterOperator.NotEqual), ("not_equals", FilterOperator.NotEqual),
            ("like", FilterOperator.Contains),
            ("not_contains", FilterOperator.NotContains),
            ("starts_with", FilterOperator.StartsWith),
            ("ends_with", FilterOperator.EndsWith),
            (">", FilterOperator.Gt), (">=", FilterOperator.Gte), ("<", FilterOperator.Lt), ("<=", FilterOperator.Lte),
            ("not_exists", FilterOperator.DoesNotExist), ("does_not_exist", FilterOperator.DoesNotExist),
            ("not_in", FilterOperator.NotIn),
        ];
        foreach (var (name, op) in aliases) names[name] = op;
        return names;
    }
}
