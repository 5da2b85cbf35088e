using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Json;
using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>The body of <c>/rows/from-traces</c> and <c>/rows/from-spans</c>, validated.</summary>
public sealed record ImportRequest(IReadOnlyList<string> SourceIds, ImportMapping Mapping);

/// <summary>Optional paths per row field (templates-and-evals §6.4); null means the default.</summary>
public sealed record ImportMapping(string? Input, string? ExpectedOutput, IReadOnlyList<KeyValuePair<string, string>> Metadata);

/// <summary>
/// Turns a source document (a trace or span, §6.4.1) into a row with the path language and defaults
/// of templates-and-evals §6.4.2.
/// </summary>
public static class DatasetImport
{
    public const int MaxSources = 100;

    /// <summary>Validates the body (non-strict: unknown keys ignored); <paramref name="idsKey"/> is <c>trace_ids</c> or <c>span_ids</c>.</summary>
    public static (ImportRequest? Request, ApiError? Error) Parse(JsonElement body, string idsKey)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
            return (null, ApiError.InvalidBody("_", $"Expected object, received {JsonKinds.Name(body.ValueKind)}"));

        var ids = new List<string>();
        if (!body.TryGetProperty(idsKey, out var idArray)) problems.TryAdd(idsKey, "Required");
        else if (idArray.ValueKind != JsonValueKind.Array) problems.TryAdd(idsKey, $"Expected array, received {JsonKinds.Name(idArray.ValueKind)}");
        else
        {
            var count = idArray.GetArrayLength();
            if (count < 1) problems.TryAdd(idsKey, "Array must contain at least 1 element(s)");
            else if (count > MaxSources) problems.TryAdd(idsKey, $"Array must contain at most {MaxSources} element(s)");
            var index = 0;
            foreach (var id in idArray.EnumerateArray())
            {
                var key = $"{idsKey}.{index++}";
                if (id.ValueKind != JsonValueKind.String) problems.TryAdd(key, $"Expected string, received {JsonKinds.Name(id.ValueKind)}");
                else if (id.GetString() is not { Length: > 0 } text) problems.TryAdd(key, "String must contain at least 1 character(s)");
                else ids.Add(text);
            }
        }

        string? input = null, expected = null;
        var metadata = new List<KeyValuePair<string, string>>();
        if (body.TryGetProperty("mapping", out var mapping))
        {
            if (mapping.ValueKind != JsonValueKind.Object) problems.TryAdd("mapping", $"Expected object, received {JsonKinds.Name(mapping.ValueKind)}");
            else
            {
                input = PathField(mapping, "input", "mapping.input", problems);
                expected = PathField(mapping, "expected_output", "mapping.expected_output", problems);
                if (mapping.TryGetProperty("metadata", out var paths))
                {
                    if (paths.ValueKind != JsonValueKind.Object) problems.TryAdd("mapping.metadata", $"Expected object, received {JsonKinds.Name(paths.ValueKind)}");
                    else
                    {
                        foreach (var entry in paths.EnumerateObject())
                        {
                            if (PathField(paths, entry.Name, "mapping.metadata." + entry.Name, problems) is { } path)
                                metadata.Add(new(entry.Name, path));
                        }
                    }
                }
            }
        }
        if (problems.Count > 0)
            return (null, new ApiError(StatusCodes.Status400BadRequest, "invalid_request_body", "Invalid request body") { Details = problems });
        return (new ImportRequest(ids, new ImportMapping(input, expected, metadata)), null);
    }

    private static string? PathField(JsonElement parent, string name, string detailKey, Dictionary<string, string> problems)
    {
        if (!parent.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) { problems.TryAdd(detailKey, $"Expected string, received {JsonKinds.Name(value.ValueKind)}"); return null; }
        if (value.GetString() is not { Length: > 0 } path) { problems.TryAdd(detailKey, "String must contain at least 1 character(s)"); return null; }
        return path;
    }

    /// <summary>The row for one source, or the item's error message (§6.4.2).</summary>
    public static (byte[]? Line, string? Error) BuildRow(JsonObject source, ImportMapping mapping)
    {
        JsonNode? input;
        if (mapping.Input is { } inputPath)
        {
            if (!TryResolve(source, inputPath, out var found, out input, out var error)) return (null, error);
            if (!found) return (null, $"Mapping path \"{inputPath}\" did not resolve to an input value");
        }
        else if (source["props"] is JsonObject { Count: > 0 } props) input = props;
        else if (source.TryGetPropertyValue("input", out input)) { }
        else return (null, "Mapping path \"$.input\" did not resolve to an input value");

        if (!TryResolve(source, mapping.ExpectedOutput ?? "$.output", out var expectedFound, out var expected, out var expectedError))
            return (null, expectedError);
        var metadata = new JsonObject();
        foreach (var (key, path) in mapping.Metadata)
        {
            if (!TryResolve(source, path, out var found, out var value, out var error)) return (null, error);
            if (found) metadata[key] = value?.DeepClone();
        }
        return (DatasetRows.FromValues(input, expectedFound ? expected : null, metadata), null);
    }

    /// <summary>
    /// The path language: <c>$</c> is the whole source; otherwise a leading <c>$.</c> is removed,
    /// <c>[n]</c> becomes <c>.n</c>, and the dot-separated tokens are walked (own keys of objects,
    /// integer indexes of arrays; anything else is missing). False (with the item error) when the
    /// path does not start with <c>$</c>; <paramref name="found"/> false when it resolves to nothing.
    /// </summary>
    public static bool TryResolve(JsonNode? source, string path, out bool found, out JsonNode? value, out string? error)
    {
        found = false;
        value = null;
        error = null;
        if (!path.StartsWith('$'))
        {
            error = $"Invalid path \"{path}\"";
            return false;
        }
        if (path == "$")
        {
            found = true;
            value = source;
            return true;
        }
        var rest = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        rest = System.Text.RegularExpressions.Regex.Replace(rest, @"\[(\d+)\]", ".$1");
        var current = source;
        foreach (var token in rest.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var next):
                    current = next;
                    break;
                case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    current = array[index];
                    break;
                default:
                    return true; // missing: a null, a primitive, an absent key or index
            }
        }
        found = true;
        value = current;
        return true;
    }
}
