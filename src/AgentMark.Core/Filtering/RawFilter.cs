namespace AgentMark.Core.Filtering;

/// <summary>A predicate as an encoding wrote it, before field resolution and typing.</summary>
/// <param name="Key">The details key an error on this predicate is reported under.</param>
/// <param name="Where">Where the predicate is in the text ("position 12", "[1].or[0]"), added to messages; empty when the key says it.</param>
internal sealed record RawPredicate(string Field, FilterOperator Operator, RawValue? Value, string Key, string Where);

/// <summary>A value as written; numbers are already turned into strings (wire-contract §10.3).</summary>
internal sealed record RawValue(bool IsArray, IReadOnlyList<string> Items)
{
    public static RawValue Scalar(string value) => new(false, [value]);
}
