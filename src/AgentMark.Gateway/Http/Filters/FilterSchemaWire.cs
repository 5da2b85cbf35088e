using System.Text.Json.Serialization;
using AgentMark.Core.Filtering;

namespace AgentMark.Gateway.Http.Filters;

/// <summary><c>GET /v1/filter-schema</c> (wire-contract §10.7): <c>{"data":{"resources":{...}}}</c>.</summary>
public sealed record FilterSchema(FilterSchemaResources Resources)
{
    /// <summary>Built from the same catalogue the parser validates against, so the two cannot disagree.</summary>
    public static FilterSchema FromCatalog() => new(new FilterSchemaResources(
        Resource(FilterSurface.Traces), Resource(FilterSurface.Spans), Resource(FilterSurface.Scores)));

    private static FilterSchemaResource Resource(FilterSurface surface) => new(
        FilterCatalog.Fields(surface).Select(f => new FilterSchemaField(f.Name, FilterCatalog.KindName(f.Kind), Names(f.Operators))).ToList(),
        FilterCatalog.DynamicFields(surface).Select(d => new FilterSchemaDynamicField(d.Pattern, d.KeyPattern, FilterCatalog.KindName(d.Kind), Names(d.Operators))).ToList(),
        new FilterSchemaLimits(FilterCatalog.MaxPredicates, FilterCatalog.MaxInValues));

    private static IReadOnlyList<string> Names(IReadOnlyList<FilterOperator> operators) => operators.Select(FilterOperators.Name).ToList();
}

/// <summary>Keys in the order the contract lists them: traces, spans, scores.</summary>
public sealed record FilterSchemaResources(FilterSchemaResource Traces, FilterSchemaResource Spans, FilterSchemaResource Scores);

public sealed record FilterSchemaResource(IReadOnlyList<FilterSchemaField> Fields, IReadOnlyList<FilterSchemaDynamicField> DynamicFields, FilterSchemaLimits Limits);

public sealed record FilterSchemaField(string Name, string Kind, IReadOnlyList<string> Operators);

public sealed record FilterSchemaDynamicField(string Pattern, string KeyPattern, string Kind, IReadOnlyList<string> Operators);

public sealed record FilterSchemaLimits(int MaxPredicates, int MaxInValues);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ItemResponse<FilterSchema>))]
internal sealed partial class FilterJson : JsonSerializerContext;
