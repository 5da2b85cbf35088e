namespace AgentMark.Core.Filtering;

/// <summary>
/// Why a filter was refused. <see cref="IsShapeError"/> errors are ordinary body-validation errors
/// (<c>invalid_request_body</c>, one message per JSON path); the others are <c>invalid_filter</c> with
/// the message under one key (<c>filter</c>, <c>filters.&lt;i&gt;</c> or <c>filters.&lt;i&gt;.or.&lt;j&gt;</c>).
/// </summary>
public sealed record FilterError(bool IsShapeError, string Message, IReadOnlyDictionary<string, string> Details)
{
    public const string InvalidFilterCode = "invalid_filter";
    public const string InvalidBodyCode = "invalid_request_body";

    public string Code => IsShapeError ? InvalidBodyCode : InvalidFilterCode;

    internal static FilterError Semantic(string key, string message) =>
        new(false, message, new Dictionary<string, string> { [key] = message });

    internal static FilterError Shape(IReadOnlyDictionary<string, string> details) =>
        new(true, "Invalid request body", details);
}

/// <summary>The outcome of parsing: an expression (possibly empty) or an error.</summary>
public readonly record struct FilterParseResult(FilterExpression? Expression, FilterError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator FilterParseResult(FilterExpression expression) => new(expression, null);

    public static implicit operator FilterParseResult(FilterError error) => new(null, error);
}
