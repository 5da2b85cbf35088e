namespace AgentMark.Normalization.Coercion;

/// <summary>
/// A metadata key prefix (<c>agentmark.metadata.</c> or <c>ai.telemetry.metadata.</c>) with its promoted
/// keys pre-built, so the per-span lookups of ingestion §2.2 do not concatenate strings.
/// </summary>
internal sealed class MetadataPrefix
{
    public static readonly MetadataPrefix AgentMark = new("agentmark.metadata.");
    public static readonly MetadataPrefix AiTelemetry = new("ai.telemetry.metadata.");

    /// <summary>Suffixes never kept as custom metadata (§2.2). <c>commit_sha</c> is deliberately absent:
    /// it is promoted and kept.</summary>
    private static readonly HashSet<string> ReservedSuffixes = new(StringComparer.Ordinal)
    {
        "session_id", "session_name", "user_id", "trace_name", "dataset_run_id", "dataset_run_name",
        "dataset_path", "dataset_item_name", "dataset_expected_output", "dataset_input", "prompt_name", "props",
        // Keys that would be prototype pollution in the reference.
        "__proto__", "constructor", "prototype",
    };

    private MetadataPrefix(string prefix)
    {
        Prefix = prefix;
        SessionId = prefix + "session_id";
        SessionName = prefix + "session_name";
        UserId = prefix + "user_id";
        TraceName = prefix + "trace_name";
        DatasetRunId = prefix + "dataset_run_id";
        DatasetRunName = prefix + "dataset_run_name";
        DatasetPath = prefix + "dataset_path";
        DatasetItemName = prefix + "dataset_item_name";
        DatasetExpectedOutput = prefix + "dataset_expected_output";
        PromptName = prefix + "prompt_name";
        Props = prefix + "props";
        CommitSha = prefix + "commit_sha";
    }

    public string Prefix { get; }
    public string SessionId { get; }
    public string SessionName { get; }
    public string UserId { get; }
    public string TraceName { get; }
    public string DatasetRunId { get; }
    public string DatasetRunName { get; }
    public string DatasetPath { get; }
    public string DatasetItemName { get; }
    public string DatasetExpectedOutput { get; }
    public string PromptName { get; }
    public string Props { get; }
    public string CommitSha { get; }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ReservedSuffixLookup
        = ReservedSuffixes.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsReservedSuffix(string suffix) => ReservedSuffixes.Contains(suffix);

    public static bool IsReservedSuffix(ReadOnlySpan<char> suffix) => ReservedSuffixLookup.Contains(suffix);
}
