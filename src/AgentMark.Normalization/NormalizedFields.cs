using AgentMark.Normalization.Json;

namespace AgentMark.Normalization;

/// <summary>
/// What a convention extracts from one span (the "partial" of ingestion §2.1 step 6) and what the
/// overlays then adjust. Null means "unset": the convention did not produce the field, which the
/// storage step turns into the column default of §6.1.
/// </summary>
/// <remarks>Tokens and cost stay doubles until storage: the reference keeps JavaScript numbers
/// (possibly fractional or huge) and prices them before the columns floor them.</remarks>
internal sealed class NormalizedFields
{
    /// <summary>Replaces the span name when set (tool spans are renamed to the tool).</summary>
    public string? Name { get; set; }
    public string? Model { get; set; }
    public double? InputTokens { get; set; }
    public double? OutputTokens { get; set; }
    public double? TotalTokens { get; set; }
    public double? ReasoningTokens { get; set; }
    /// <summary>SDK-reported cost (AgentMark <c>agentmark.usage.cost_usd</c>); replaced by a registry price.</summary>
    public double? Cost { get; set; }
    /// <summary>Array of messages (§2.12).</summary>
    public JsArray? Input { get; set; }
    /// <summary>The <c>Input</c> column already serialized (a convention's fast path); when set,
    /// <see cref="Input"/> is not used.</summary>
    public string? InputJson { get; set; }
    public string? Output { get; set; }
    /// <summary>Any JSON value (JsDom.cs); stored only when truthy.</summary>
    public object? OutputObject { get; set; }
    public JsArray? ToolCalls { get; set; }
    public string? FinishReason { get; set; }
    public JsObject? Settings { get; set; }
    /// <summary>The <c>Settings</c> column already serialized; when set, <see cref="Settings"/> is not used.</summary>
    public string? SettingsJson { get; set; }
    public string? SessionId { get; set; }
    public string? SessionName { get; set; }
    public string? UserId { get; set; }
    public string? TraceName { get; set; }
    public string? DatasetRunId { get; set; }
    public string? DatasetRunName { get; set; }
    public string? DatasetPath { get; set; }
    public string? DatasetItemName { get; set; }
    public string? DatasetExpectedOutput { get; set; }
    public string? DatasetInput { get; set; }
    public string? ExperimentKey { get; set; }
    public string? SourceTreeHash { get; set; }
    public string? PromptName { get; set; }
    public string? Props { get; set; }
    public string? CommitSha { get; set; }
    /// <summary>Raw <c>agentmark.span.kind</c>; validated by the semantic-kind resolver (§3.2 rule 1).</summary>
    public string? SemanticKindCandidate { get; set; }
    /// <summary>Custom metadata, string → string, in insertion order.</summary>
    public OrderedDictionary<string, string>? Metadata { get; set; }

    /// <summary>Every field back to unset, so one instance can serve span after span (see
    /// <see cref="SpanNormalizer"/>). A field added above must be added here too (a test checks).</summary>
    public void Clear()
    {
        Name = null;
        Model = null;
        InputTokens = null;
        OutputTokens = null;
        TotalTokens = null;
        ReasoningTokens = null;
        Cost = null;
        Input = null;
        InputJson = null;
        Output = null;
        OutputObject = null;
        ToolCalls = null;
        FinishReason = null;
        Settings = null;
        SettingsJson = null;
        SessionId = null;
        SessionName = null;
        UserId = null;
        TraceName = null;
        DatasetRunId = null;
        DatasetRunName = null;
        DatasetPath = null;
        DatasetItemName = null;
        DatasetExpectedOutput = null;
        DatasetInput = null;
        ExperimentKey = null;
        SourceTreeHash = null;
        PromptName = null;
        Props = null;
        CommitSha = null;
        SemanticKindCandidate = null;
        Metadata = null;
    }

    /// <summary>Sets <c>metadata[key] = value</c>, creating the map on first use (existing keys keep their position).</summary>
    public void SetMetadata(string key, string value)
    {
        Metadata ??= new OrderedDictionary<string, string>(StringComparer.Ordinal);
        Metadata[key] = value;
    }
}
