using System.Text.Json;
using AgentMark.Core.Spans;

namespace AgentMark.Storage.Experiments;

/// <summary>
/// The item derivations of templates-and-evals §7.3, written once for every backend: a backend reads
/// the run roots, their traces' model spans and the scores, and this turns them into items.
/// </summary>
public static class ExperimentItems
{
    /// <param name="root">A run root, with its I/O.</param>
    /// <param name="modelSpans">Spans of the root's trace with a non-empty model, start ascending, with raw attributes.</param>
    /// <param name="scores">Scores on the root's trace, oldest first.</param>
    public static ExperimentItem Build(SpanRecord root, IReadOnlyList<SpanRecord> modelSpans, IReadOnlyList<ExperimentScore> scores)
    {
        double cost = 0;
        long tokens = 0;
        string? model = null;
        foreach (var span in modelSpans)
        {
            cost += span.Cost;
            tokens += span.TotalTokens;
            if (model is null || string.CompareOrdinal(span.Model, model) > 0) model = span.Model;
        }
        var hasModelSpans = modelSpans.Count > 0;
        return new ExperimentItem
        {
            TraceId = root.TraceId,
            ItemName = First(root.DatasetItemName, root.SpanName) ?? "Item",
            // [X] first model span for the input, last for the output (§7.3), like trace I/O.
            Input = First(root.DatasetInput, root.Input)
                ?? FirstOf(modelSpans, s => s.Input)
                ?? FirstOf(modelSpans, s => Attribute(s, "gen_ai.prompt"))
                ?? "",
            ExpectedOutput = root.DatasetExpectedOutput,
            Output = LastOf(modelSpans, s => s.Output)
                ?? LastOf(modelSpans, s => s.OutputObject)
                ?? LastOf(modelSpans, s => Attribute(s, "gen_ai.completion"))
                ?? First(root.Output, root.OutputObject)
                ?? "",
            LatencyMs = root.Duration,
            Cost = hasModelSpans ? cost : root.Cost,
            Tokens = hasModelSpans ? tokens : root.TotalTokens,
            Model = First(model, root.Model) ?? "",
            Scores = scores,
        };
    }

    private static string? First(string? a, string? b) =>
        !string.IsNullOrEmpty(a) ? a : !string.IsNullOrEmpty(b) ? b : null;

    private static string? FirstOf(IReadOnlyList<SpanRecord> spans, Func<SpanRecord, string?> field)
    {
        foreach (var span in spans)
        {
            if (field(span) is { Length: > 0 } value) return value;
        }
        return null;
    }

    private static string? LastOf(IReadOnlyList<SpanRecord> spans, Func<SpanRecord, string?> field)
    {
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            if (field(spans[i]) is { Length: > 0 } value) return value;
        }
        return null;
    }

    /// <summary>A raw span attribute as text (strings verbatim, other values as JSON).</summary>
    private static string? Attribute(SpanRecord span, string key)
    {
        if (string.IsNullOrEmpty(span.SpanAttributes) || !span.SpanAttributes.Contains(key, StringComparison.Ordinal)) return null;
        try
        {
            using var document = JsonDocument.Parse(span.SpanAttributes);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(key, out var value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
