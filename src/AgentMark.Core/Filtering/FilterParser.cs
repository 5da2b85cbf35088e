using System.Text.Json;

namespace AgentMark.Core.Filtering;

/// <summary>
/// The one entry point to the filter language (wire-contract §10): every encoding parses to a
/// validated <see cref="FilterExpression"/> or a <see cref="FilterError"/> that says what is wrong and
/// where. Backend-neutral; stores compile the expression to their own query language.
/// </summary>
public static class FilterParser
{
    private const string QueryKey = "filter";
    private const string BodyKey = "filters";

    /// <summary>
    /// The <c>filter</c> query parameter (§10.1): after trimming, <c>[</c> starts the JSON array form,
    /// <c>{</c> the JSON tree form, anything else is the string DSL; empty or absent means no filter.
    /// Every problem is <c>invalid_filter</c> under the details key <c>filter</c>.
    /// </summary>
    public static FilterParseResult ParseQuery(string? text, FilterSurface surface)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return FilterExpression.Empty;
        if (trimmed[0] is not ('[' or '{'))
        {
            return DslParser.TryParse(trimmed, out var clauses, out var syntaxError)
                ? FilterValidator.Validate(clauses, surface, QueryKey)
                : FilterError.Semantic(QueryKey, syntaxError);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(trimmed);
        }
        catch (JsonException json)
        {
            return FilterError.Semantic(QueryKey, $"The filter is not valid JSON: {json.Message}");
        }
        using (document)
        {
            var reader = new JsonFilterReader(inBody: false);
            var root = document.RootElement;
            var clauses = root.ValueKind == JsonValueKind.Array ? reader.ReadArray(root, QueryKey) : reader.ReadTree(root, QueryKey);
            return reader.HasProblems
                ? FilterError.Semantic(QueryKey, reader.FirstProblem())
                : FilterValidator.Validate(clauses, surface, QueryKey);
        }
    }

    /// <summary>
    /// The <c>filters</c> member of a search body (§10.3 array form only). Shape problems are
    /// <c>invalid_request_body</c> keyed by JSON path (<c>filters.0.operator</c>); semantic ones
    /// <c>invalid_filter</c> keyed <c>filters.&lt;i&gt;</c> or <c>filters.&lt;i&gt;.or.&lt;j&gt;</c>.
    /// </summary>
    public static FilterParseResult ParseSearchFilters(JsonElement filters, FilterSurface surface)
    {
        var reader = new JsonFilterReader(inBody: true);
        var clauses = reader.ReadArray(filters, BodyKey);
        return reader.HasProblems ? FilterError.Shape(reader.Problems) : FilterValidator.Validate(clauses, surface, BodyKey);
    }
}
