using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>Dataset list item (wire-contract §14.1).</summary>
public sealed record DatasetListItem(string Name, long RowCount, string CreatedAt);

/// <summary><c>{"line_number": n}</c> (wire-contract §14.2).</summary>
public sealed record AppendedRow(long LineNumber);

/// <summary>Import response data (wire-contract §14.3).</summary>
public sealed record ImportResult(int Added, IReadOnlyList<ImportItemResult> Results);

/// <summary><c>line_number</c> only when created, <c>error</c> only when failed.</summary>
public sealed record ImportItemResult
{
    public required string SourceId { get; init; }
    public required string Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? LineNumber { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ListResponse<DatasetListItem>))]
[JsonSerializable(typeof(ItemResponse<AppendedRow>))]
[JsonSerializable(typeof(ItemResponse<ImportResult>))]
internal sealed partial class DatasetJson : JsonSerializerContext;
