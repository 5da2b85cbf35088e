namespace AgentMark.Core.Filtering;

/// <summary>
/// A validated filter in conjunctive normal form (wire-contract §10): every clause must hold (AND);
/// a clause holds when any of its predicates does (a one-level OR group, or a single predicate).
/// Every encoding parses to this one shape, and every store compiles it.
/// </summary>
public sealed record FilterExpression(IReadOnlyList<FilterClause> Clauses)
{
    public static readonly FilterExpression Empty = new([]);

    public bool IsEmpty => Clauses.Count == 0;

    public int PredicateCount => Clauses.Sum(c => c.Predicates.Count);
}

/// <summary>An OR of one or more predicates.</summary>
public sealed record FilterClause(IReadOnlyList<FilterPredicate> Predicates);

/// <summary>
/// One comparison, already typed: the field is resolved, the operator is allowed for its kind, and the
/// values have the count the operator needs (none for exists, 1..50 for in, 2 for between, else 1).
/// </summary>
public sealed record FilterPredicate(FilterField Field, FilterOperator Operator, IReadOnlyList<FilterValue> Values)
{
    public FilterValue Value => Values[0];
}

/// <summary>
/// A typed value. <see cref="Text"/> is the normalized string (numbers as JavaScript prints them;
/// status as the stored code "1"/"2"); <see cref="Number"/> is set for numeric and score fields and,
/// as Unix milliseconds, for datetimes.
/// </summary>
public readonly record struct FilterValue(string Text, double Number);
