using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentMark.Gateway.Http.ScoreConfigs;

/// <summary>
/// Projects the <c>scores</c> map of agentmark.json into score configs (templates-and-evals §8).
/// An entry that does not fit is skipped silently, never an error.
/// </summary>
public static class ScoreConfigCatalog
{
    /// <summary>
    /// The configs sorted by name like the reference's <c>localeCompare</c> (<see cref="RootCollation"/>:
    /// under invariant globalization the invariant-culture comparer is only ordinal); empty when there is no usable map.
    /// </summary>
    public static List<ScoreConfig> Project(JsonObject? config, string appId, string commitSha)
    {
        var result = new List<ScoreConfig>();
        if (config?["scores"] is not JsonObject scores) return result;
        foreach (var (name, entry) in scores)
        {
            if (name.Length == 0 || entry is not JsonObject fields) continue;
            if (Project(name, fields, appId, commitSha) is { } projected) result.Add(projected);
        }
        result.Sort((a, b) => RootCollation.Instance.Compare(a.Name, b.Name));
        return result;
    }

    private static ScoreConfig? Project(string name, JsonObject fields, string appId, string commitSha)
    {
        var baseConfig = new ScoreConfig
        {
            Id = $"{appId}:{name}",
            Name = name,
            Description = String(fields["description"]),
            CommitSha = commitSha,
            DataType = "",
        };
        switch (String(fields["type"]))
        {
            case "boolean":
                return baseConfig with { DataType = "boolean" };
            case "numeric":
                return baseConfig with { DataType = "numeric", Min = Number(fields["min"]), Max = Number(fields["max"]) };
            case "categorical":
                if (fields["categories"] is not JsonArray raw) return null;
                var categories = new List<ScoreCategory>();
                foreach (var node in raw)
                {
                    if (node is JsonObject category && String(category["label"]) is { Length: > 0 } label && Number(category["value"]) is { } value)
                        categories.Add(new ScoreCategory(label, value));
                }
                return categories.Count == 0 ? null : baseConfig with { DataType = "categorical", Categories = categories };
            default:
                return null;
        }
    }

    private static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A finite JSON number (a numeric string does not count).</summary>
    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && double.IsFinite(number)
            ? number : null;
}
