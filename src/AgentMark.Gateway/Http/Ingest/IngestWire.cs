using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Ingest;

/// <summary>Ingest success body (ingestion §1.6–§1.7); camelCase like OTLP/JSON.</summary>
public sealed record IngestResponse(
    IngestData Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PartialSuccess? PartialSuccess);

public sealed record IngestData(string RequestId);

/// <summary>OTLP ExportTraceServiceResponse.partialSuccess; int64 as a decimal string (proto3 JSON).</summary>
public sealed record PartialSuccess(string RejectedSpans, string ErrorMessage);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IngestResponse))]
internal sealed partial class IngestJson : JsonSerializerContext;
