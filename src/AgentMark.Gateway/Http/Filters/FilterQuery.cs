using AgentMark.Core.Filtering;
using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http.Filters;

/// <summary>The <c>filter</c> query parameter (wire-contract §10.1) and filter errors as API errors.</summary>
public static class FilterQuery
{
    /// <summary>
    /// Parses <c>filter</c> for the surface. A repeated parameter is left to the reader's
    /// <c>invalid_query_params</c>; a bad filter is a <c>400 invalid_filter</c>, never ignored.
    /// </summary>
    public static ApiError? Read(QueryReader q, FilterSurface surface, out FilterExpression filter)
    {
        filter = FilterExpression.Empty;
        var text = q.String("filter");
        if (text is null) return null;
        var result = FilterParser.ParseQuery(text, surface);
        if (result.Error is { } error) return ToApiError(error);
        filter = result.Expression!;
        return null;
    }

    /// <summary><c>invalid_filter</c> or, for shape errors in a body, <c>invalid_request_body</c>, with details.</summary>
    public static ApiError ToApiError(FilterError error) =>
        new(StatusCodes.Status400BadRequest, error.Code, error.Message) { Details = error.Details };
}
