using AgentMark.Normalization.Attributes;

namespace AgentMark.Normalization.Conventions.VercelAiSdk;

/// <summary>Which strategy reads an AI SDK span (ingestion §2.5 version detection).</summary>
internal enum VercelAiSdkVersion
{
    /// <summary>AI SDK 4 (<c>ai.result.*</c>), and every span with no version marker (e.g. <c>ai.toolCall</c>).</summary>
    V4,
    /// <summary>AI SDK 5 and later (<c>ai.response.*</c>).</summary>
    V5,
}

internal static class VercelAiSdkVersionDetector
{
    /// <summary>Per span: <c>ai.response.*</c> → v5; <c>ai.result.*</c> or <c>ai.prompt*</c> → v4; otherwise v4.</summary>
    public static VercelAiSdkVersion Detect(AttributeView a)
    {
        if (a.Has("ai.response.text") || a.Has("ai.response.toolCalls") || a.Has("ai.response.object")) return VercelAiSdkVersion.V5;
        return VercelAiSdkVersion.V4;
    }
}
