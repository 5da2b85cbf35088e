using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentMark.Core.Filtering;

/// <summary>
/// The semantic checks shared by every encoding (wire-contract §10.5–§10.6): known field, operator
/// allowed for its kind, value count for the operator, and value typing. Yields typed predicates.
/// </summary>
internal static partial class FilterValidator
{
    [GeneratedRegex(@"^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    private static readonly DateTimeOffset MinDate = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset MaxDate = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Validates the clauses in order; the first problem wins.</summary>
    public static FilterParseResult Validate(IReadOnlyList<IReadOnlyList<RawPredicate>> clauses, FilterSurface surface, string limitKey)
    {
        var count = 0;
        foreach (var clause in clauses) count += clause.Count;
        if (count > FilterCatalog.MaxPredicates)
            return FilterError.Semantic(limitKey, $"Too many predicates: {count} (at most {FilterCatalog.MaxPredicates})");

        var result = new List<FilterClause>(clauses.Count);
        foreach (var clause in clauses)
        {
            var predicates = new List<FilterPredicate>(clause.Count);
            foreach (var raw in clause)
            {
                var problem = Check(raw, surface, out var predicate);
                if (problem is not null)
                    return FilterError.Semantic(raw.Key, raw.Where.Length == 0 ? problem : $"{problem} (at {raw.Where})");
                predicates.Add(predicate!);
            }
            result.Add(new FilterClause(predicates));
        }
        return new FilterExpression(result);
    }

    private static string? Check(RawPredicate raw, FilterSurface surface, out FilterPredicate? predicate)
    {
        predicate = null;
        if (!FilterCatalog.TryResolve(raw.Field, surface, out var field, out var fieldError)) return fieldError;

        var op = raw.Operator;
        var opName = FilterOperators.Name(op);
        if (!field.Operators.Contains(op))
            return $"Operator '{opName}' is not valid for field '{raw.Field}' ({FilterCatalog.KindName(field.Kind)})";

        if (FilterOperators.TakesNoValue(op))
        {
            if (raw.Value is not null) return $"Operator '{opName}' does not take a value";
            predicate = new FilterPredicate(field, op, []);
            return null;
        }
        if (raw.Value is not { } value) return $"Operator '{opName}' requires a value";
        if (op == FilterOperator.Between)
        {
            if (!value.IsArray || value.Items.Count != 2) return "Operator 'between' requires an array of exactly 2 values [low, high]";
        }
        else if (FilterOperators.TakesArray(op))
        {
            if (!value.IsArray || value.Items.Count is 0 or > FilterCatalog.MaxInValues)
                return $"Operator '{opName}' requires an array of 1 to {FilterCatalog.MaxInValues} values";
        }
        else if (value.IsArray)
        {
            return $"Operator '{opName}' takes a single value, not an array";
        }

        var typed = new FilterValue[value.Items.Count];
        for (var i = 0; i < typed.Length; i++)
        {
            var problem = Type(value.Items[i], field, raw.Field, out typed[i]);
            if (problem is not null) return problem;
        }
        predicate = new FilterPredicate(field, op, typed);
        return null;
    }

    private static string? Type(string text, FilterField field, string written, out FilterValue value)
    {
        value = new FilterValue(text, 0);
        switch (field.Kind)
        {
            case FilterFieldKind.Numeric:
            case FilterFieldKind.Score:
                if (!NumberPattern().IsMatch(text)
                    || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    || !double.IsFinite(number))
                    return $"Value '{Shorten(text)}' is not a number (field '{written}' is {FilterCatalog.KindName(field.Kind)})";
                value = new FilterValue(text, number);
                return null;
            case FilterFieldKind.Status:
                var code = text.ToUpperInvariant() switch
                {
                    "OK" or "SUCCESS" => "1",
                    "ERROR" or "FAIL" => "2",
                    _ => null,
                };
                if (code is null) return $"Invalid status '{Shorten(text)}'; expected OK, ERROR, SUCCESS or FAIL";
                value = new FilterValue(code, 0);
                return null;
            case FilterFieldKind.DateTime:
                if (!DateTimePattern().IsMatch(text)
                    || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                    return $"Invalid datetime '{Shorten(text)}' for field '{written}'; expected ISO 8601 such as 2026-01-01T00:00:00.000Z";
                if (at < MinDate || at > MaxDate) return $"Datetime '{text}' for field '{written}' must be between 1970-01-01 and 2200-01-01";
                value = new FilterValue(text, at.ToUnixTimeMilliseconds());
                return null;
            default:
                return null;
        }
    }

    /// <summary>Values are echoed in messages; a 500-character value would drown the message.</summary>
    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
