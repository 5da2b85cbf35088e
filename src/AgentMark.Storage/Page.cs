namespace AgentMark.Storage;

public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);
