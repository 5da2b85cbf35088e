using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Meta;

public sealed record HealthResponse(string Status, string Service, string Version);

/// <summary>GET /v1/capabilities, bare object (wire-contract §5.2).</summary>
public sealed record CapabilitiesResponse(string Target, string Url, IReadOnlyDictionary<string, bool> Endpoints);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(CapabilitiesResponse))]
internal sealed partial class MetaJson : JsonSerializerContext;
