using System.Text.Json;
using AgentMark.Core.Json;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>One thing wrong with a score body; <see cref="Missing"/> marks an absent required field.</summary>
internal readonly record struct ScoreProblem(string Field, string Message, bool Missing);

/// <summary>
/// Validates one score body (POST /v1/scores, or one batch item) the way the contract's schema does
/// (wire-contract §11.1): <c>resourceId</c> stands in for an absent <c>resource_id</c>; <c>type</c>,
/// <c>data_type</c>/<c>dataType</c> are read when usable; every other key is ignored.
/// </summary>
internal static class ScoreRequestReader
{
    public const string LoneSurrogate = "String contains invalid UTF-8 (unpaired surrogate characters).";
    private static readonly string[] Sources = ["experiment", "annotation", "api"];
    private static readonly string[] DataTypes = ["boolean", "numeric", "categorical", ""];

    /// <summary>
    /// The score, or null with <paramref name="problems"/> filled in schema order (resource_id, name,
    /// score, label, reason, source, data_type).
    /// </summary>
    /// <param name="strictDataType">Batch items reject an unknown data type (§11.2); a single score ignores it.</param>
    public static NewScore? Read(JsonElement body, bool strictDataType, List<ScoreProblem> problems)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new("_", $"Expected object, received {Kind(body)}", false));
            return null;
        }
        if (HasUndecodableKey(body))
        {
            problems.Add(new("_", LoneSurrogate, false));
            return null;
        }
        var before = problems.Count;
        var resourceKey = Present(body, "resource_id", out _) ? "resource_id" : "resourceId";
        var resourceId = RequiredText(body, resourceKey, "resource_id", problems);
        var name = RequiredText(body, "name", "name", problems);

        double score = 0;
        if (!Present(body, "score", out var scoreValue)) problems.Add(new("score", "Required", true));
        else if (scoreValue.ValueKind != JsonValueKind.Number) problems.Add(new("score", $"Expected number, received {Kind(scoreValue)}", false));
        else if (!scoreValue.TryGetDouble(out score) || !double.IsFinite(score)) problems.Add(new("score", "Number must be finite", false));

        var label = OptionalText(body, "label", problems) ?? "";
        var reason = OptionalText(body, "reason", problems) ?? "";

        var source = "api";
        if (Present(body, "source", out var sourceValue))
        {
            var expected = string.Join(" | ", Sources.Select(s => $"'{s}'"));
            if (sourceValue.ValueKind != JsonValueKind.String) problems.Add(new("source", $"Expected {expected}, received {Kind(sourceValue)}", false));
            else if (!TryText(sourceValue, out var text)) problems.Add(new("source", LoneSurrogate, false));
            else if (Array.IndexOf(Sources, text) < 0) problems.Add(new("source", $"Invalid enum value. Expected {expected}, received '{text}'", false));
            else source = text;
        }

        // Not in the schema: kept when usable, otherwise ignored like any unknown key.
        var scoreType = Present(body, "type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String && TryText(typeValue, out var type) ? type : "";
        var dataType = "";
        var dataTypeKey = Present(body, "data_type", out _) ? "data_type" : "dataType";
        if (Present(body, dataTypeKey, out var dataTypeValue))
        {
            if (dataTypeValue.ValueKind == JsonValueKind.String && TryText(dataTypeValue, out var text) && Array.IndexOf(DataTypes, text) >= 0) dataType = text;
            else if (strictDataType) problems.Add(new("data_type", "Expected 'boolean' | 'numeric' | 'categorical' | ''", false));
        }

        if (problems.Count > before) return null;
        return new NewScore
        {
            ResourceId = resourceId!,
            Name = name!,
            Score = score,
            Label = label,
            Reason = reason,
            Source = source,
            ScoreType = scoreType,
            DataType = dataType,
        };
    }

    /// <summary>
    /// True when a key holds an unpaired surrogate: System.Text.Json then throws from any lookup
    /// that reaches it, so such an object is refused before it is read.
    /// </summary>
    public static bool HasUndecodableKey(JsonElement body)
    {
        foreach (var property in body.EnumerateObject())
        {
            try { _ = property.Name; }
            catch (InvalidOperationException) { return true; }
        }
        return false;
    }

    /// <summary>A key with a non-null value (JSON null counts as absent, as an omitted optional would).</summary>
    public static bool Present(JsonElement body, string key, out JsonElement value) =>
        body.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

    public static string Kind(JsonElement value) => JsonKinds.Name(value.ValueKind);

    /// <summary>
    /// A JSON string as text: false for unpaired surrogates or invalid UTF-8, which System.Text.Json
    /// refuses to decode. U+0000 is dropped before storage (wire-contract §1.3).
    /// </summary>
    public static bool TryText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
        if (text.Contains('\0')) text = text.Replace("\0", "");
        return true;
    }

    private static string? RequiredText(JsonElement body, string key, string field, List<ScoreProblem> problems)
    {
        if (!Present(body, key, out var value))
        {
            problems.Add(new(field, "Required", true));
            return null;
        }
        var text = Text(value, field, problems);
        if (text is { Length: 0 })
        {
            problems.Add(new(field, "String must contain at least 1 character(s)", true));
            return null;
        }
        return text;
    }

    private static string? OptionalText(JsonElement body, string key, List<ScoreProblem> problems) =>
        Present(body, key, out var value) ? Text(value, key, problems) : null;

    private static string? Text(JsonElement value, string field, List<ScoreProblem> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new(field, $"Expected string, received {Kind(value)}", false));
            return null;
        }
        if (TryText(value, out var text)) return text;
        problems.Add(new(field, LoneSurrogate, false));
        return null;
    }
}
