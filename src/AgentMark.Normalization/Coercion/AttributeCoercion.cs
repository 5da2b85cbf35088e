using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Coercion;

/// <summary>Keys for <see cref="AttributeCoercion.ParseTokens"/>; a null key is not read.</summary>
internal readonly record struct TokenKeys(
    string InputKey, string? PromptKey, string OutputKey, string? CompletionKey, string? TotalKey, string? ReasoningKey);

/// <summary>Token counts as JavaScript numbers; null = absent.</summary>
internal readonly record struct TokenCounts(double? Input, double? Output, double? Total, double? Reasoning);

/// <summary>
/// The shared helpers and coercion rules of ingestion §2.2. Each extractor names the coercion it uses;
/// picking the wrong one is the most common source of mismatches with the reference, so each rule lives
/// here once, with its own tests.
/// </summary>
internal static class AttributeCoercion
{
    /// <summary>NumOnly: the value only when it decoded as a number (strings such as "12" are ignored).</summary>
    public static double? NumOnly(object? value) => JsValue.TryGetNumber(value, out var d) ? d : null;

    /// <summary>
    /// IntLoose (<c>parseTokens</c>' integer parse): number → floor; a string that is whole JSON → a number
    /// floored, or an object's numeric <c>intValue</c> floored; otherwise <c>parseInt(s, 10)</c>; NaN and
    /// other types → absent.
    /// </summary>
    public static double? IntLoose(object? value)
    {
        if (JsValue.TryGetNumber(value, out var number)) return Math.Floor(number);
        if (!JsValue.TryGetString(value, out var s)) return null;
        if (JsJson.TryParse(s, out var parsed))
        {
            if (JsValue.TryGetNumber(parsed, out var n)) return Math.Floor(n);
            if (JsValue.TryGetNumber(JsValue.Prop(parsed, "intValue"), out var iv)) return Math.Floor(iv);
        }
        var result = JsNumberParser.ParseInt(s);
        return double.IsNaN(result) ? null : result;
    }

    /// <summary>FiniteNum: a finite number, or a string that JavaScript's <c>Number(s)</c> turns into one
    /// (<c>""</c> → 0, hex accepted). Not floored.</summary>
    public static double? FiniteNum(object? value)
    {
        if (JsValue.TryGetNumber(value, out var number)) return double.IsFinite(number) ? number : null;
        if (!JsValue.TryGetString(value, out var s)) return null;
        var result = JsNumberParser.Number(s);
        return double.IsFinite(result) ? result : null;
    }

    /// <summary>FloatOrParse: number → itself, else <c>parseFloat(String(v))</c> (NaN possible; it is
    /// stored as JSON null).</summary>
    public static double FloatOrParse(object? value)
        => JsValue.TryGetNumber(value, out var number) ? number : JsNumberParser.ParseFloat(JsValue.ToJsString(value));

    /// <summary>IntOrParse: number → itself (not floored), else <c>parseInt(String(v), 10)</c>.</summary>
    public static double IntOrParse(object? value)
        => JsValue.TryGetNumber(value, out var number) ? number : JsNumberParser.ParseInt(JsValue.ToJsString(value));

    /// <summary>
    /// <c>parseTokens</c>: input from <c>InputKey</c> when it exists (no fallback even if unusable), else
    /// <c>PromptKey</c>; output likewise; total from <c>TotalKey</c>, else input + output when both exist;
    /// reasoning from <c>ReasoningKey</c>. All IntLoose.
    /// </summary>
    public static TokenCounts ParseTokens(AttributeView a, in TokenKeys keys)
    {
        double? input = a.TryGet(keys.InputKey, out var value) ? IntLoose(value)
            : keys.PromptKey is not null && a.TryGet(keys.PromptKey, out value) ? IntLoose(value) : null;
        double? output = a.TryGet(keys.OutputKey, out value) ? IntLoose(value)
            : keys.CompletionKey is not null && a.TryGet(keys.CompletionKey, out value) ? IntLoose(value) : null;
        double? total = keys.TotalKey is not null && a.TryGet(keys.TotalKey, out value) ? IntLoose(value) : null;
        if (total is null && input is not null && output is not null) total = input + output;
        double? reasoning = keys.ReasoningKey is not null && a.TryGet(keys.ReasoningKey, out value) ? IntLoose(value) : null;
        return new TokenCounts(input, output, total, reasoning);
    }

    /// <summary>
    /// <c>parseMetadata(A, prefix)</c>: the promoted snake_case keys under <paramref name="prefix"/>, each
    /// copied as <c>String(v)</c> when truthy. Overwrites fields already set (callers order the calls so
    /// the higher-precedence source runs last).
    /// </summary>
    public static void ParseMetadata(AttributeView a, MetadataPrefix prefix, NormalizedFields into)
    {
        if (!HasKeysUnder(a, prefix)) return;
        if (TruthyString(a, prefix.SessionId) is { } sessionId) into.SessionId = sessionId;
        if (TruthyString(a, prefix.SessionName) is { } sessionName) into.SessionName = sessionName;
        if (TruthyString(a, prefix.UserId) is { } userId) into.UserId = userId;
        if (TruthyString(a, prefix.TraceName) is { } traceName) into.TraceName = traceName;
        if (TruthyString(a, prefix.DatasetRunId) is { } runId) into.DatasetRunId = runId;
        if (TruthyString(a, prefix.DatasetRunName) is { } runName) into.DatasetRunName = runName;
        if (TruthyString(a, prefix.DatasetPath) is { } path) into.DatasetPath = path;
        if (TruthyString(a, prefix.DatasetItemName) is { } itemName) into.DatasetItemName = itemName;
        if (TruthyString(a, prefix.DatasetExpectedOutput) is { } expected) into.DatasetExpectedOutput = expected;
        if (TruthyString(a, prefix.PromptName) is { } promptName) into.PromptName = promptName;
        if (TruthyString(a, prefix.Props) is { } props) into.Props = props;
        if (TruthyString(a, prefix.CommitSha) is { } commitSha) into.CommitSha = commitSha;
    }

    /// <summary>
    /// <c>extractCustomMetadata(A, prefix)</c>, merged into <c>into.Metadata</c>: every non-reserved key
    /// under the prefix becomes <c>metadata[suffix] = String(v)</c> (arrays comma-joined, no JSON parsing);
    /// equal keys are overwritten in place. Keys whose value is absent are skipped (the reference would
    /// write the text "undefined").
    /// </summary>
    public static void ExtractCustomMetadata(AttributeView a, MetadataPrefix prefix, NormalizedFields into)
    {
        if (!HasKeysUnder(a, prefix)) return;
        var p = prefix.Prefix;
        foreach (var key in a.Keys)
        {
            if (key.Length <= p.Length || !key.StartsWith(p, StringComparison.Ordinal)) continue;
            if (MetadataPrefix.IsReservedSuffix(key.AsSpan(p.Length))) continue;
            var value = a[key];
            if (value is not null) into.SetMetadata(key[p.Length..], JsValue.ToJsString(value));
        }
    }

    /// <summary>
    /// <c>parseAgentMarkAttributes</c>: the direct <c>agentmark.*</c> grouping keys, each copied as
    /// <c>String(v)</c> when truthy, overwriting what is there (§2.2 table, §2.10.1).
    /// </summary>
    public static void ParseAgentMarkAttributes(AttributeView a, NormalizedFields into)
    {
        if (!a.HasAgentMarkKeys) return;
        if (TruthyString(a, "agentmark.session_id") is { } sessionId) into.SessionId = sessionId;
        if (TruthyString(a, "agentmark.session_name") is { } sessionName) into.SessionName = sessionName;
        if (TruthyString(a, "agentmark.user_id") is { } userId) into.UserId = userId;
        if (TruthyString(a, "agentmark.trace_name") is { } traceName) into.TraceName = traceName;
        if (TruthyString(a, "agentmark.prompt_name") is { } promptName) into.PromptName = promptName;
        if (TruthyString(a, "agentmark.props") is { } props) into.Props = props;
        if (TruthyString(a, "agentmark.span.kind") is { } kind) into.SemanticKindCandidate = kind;
        if (TruthyString(a, "agentmark.dataset_run_id") is { } runId) into.DatasetRunId = runId;
        if (TruthyString(a, "agentmark.dataset_run_name") is { } runName) into.DatasetRunName = runName;
        if (TruthyString(a, "agentmark.dataset_item_name") is { } itemName) into.DatasetItemName = itemName;
        if (TruthyString(a, "agentmark.dataset_expected_output") is { } expected) into.DatasetExpectedOutput = expected;
        if (TruthyString(a, "agentmark.dataset_input") is { } datasetInput) into.DatasetInput = datasetInput;
        if (TruthyString(a, "agentmark.dataset_path") is { } path) into.DatasetPath = path;
        if (TruthyString(a, "agentmark.experiment_key") is { } experimentKey) into.ExperimentKey = experimentKey;
        if (TruthyString(a, "agentmark.source_tree_hash") is { } treeHash) into.SourceTreeHash = treeHash;
    }

    private static bool HasKeysUnder(AttributeView a, MetadataPrefix prefix)
        => ReferenceEquals(prefix, MetadataPrefix.AgentMark) ? a.HasAgentMarkMetadataKeys
            : !ReferenceEquals(prefix, MetadataPrefix.AiTelemetry) || a.HasTelemetryMetadataKeys;

    /// <summary><c>String(A[key])</c> when the value is truthy, else null.</summary>
    public static string? TruthyString(AttributeView a, string key)
    {
        var value = a[key];
        return JsValue.IsTruthy(value) ? JsValue.ToJsString(value) : null;
    }
}
