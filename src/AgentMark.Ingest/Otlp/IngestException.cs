namespace AgentMark.Ingest.Otlp;

/// <summary>
/// A request the client can fix: the HTTP layer answers <see cref="Status"/> with the canonical error
/// envelope <c>{"error":{"code":Code,"message":Message}}</c> (ingestion §1.5).
/// </summary>
public sealed class IngestException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}
