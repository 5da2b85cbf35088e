namespace AgentMark.Core.Spans;

/// <summary>Stored status codes and their wire names (ingestion §5.1, §6.2).</summary>
public static class SpanStatus
{
    /// <summary>"2" for 2/2.0, "1" for 1/1.0, everything else "0".</summary>
    public static string Normalize(string? code) => code switch
    {
        "2" or "2.0" or "STATUS_CODE_ERROR" or "ERROR" or "Error" => "2",
        "1" or "1.0" or "STATUS_CODE_OK" or "OK" or "Ok" => "1",
        _ => "0",
    };

    public static string Name(string? code) => Normalize(code) switch
    {
        "2" => "ERROR",
        "1" => "OK",
        _ => "UNSET",
    };

    /// <summary>Wire name → normalized code, or null when the name is unknown.</summary>
    public static string? FromName(string name) => name switch
    {
        "UNSET" => "0",
        "OK" => "1",
        "ERROR" => "2",
        _ => null,
    };
}
