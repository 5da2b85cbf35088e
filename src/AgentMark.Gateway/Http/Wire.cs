using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http;

public sealed record Pagination(long Total, int Limit, int Offset);

/// <summary><c>{"data": [...], "pagination": {...}}</c></summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, Pagination Pagination);

/// <summary><c>{"data": ...}</c></summary>
public sealed record ItemResponse<T>(T Data);
