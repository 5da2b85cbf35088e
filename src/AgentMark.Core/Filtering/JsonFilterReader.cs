using System.Text.Json;
using AgentMark.Core.Json;

namespace AgentMark.Core.Filtering;

/// <summary>
/// Reads the two JSON encodings into raw clauses: the array of leaves and OR groups (§10.3, search
/// bodies and the <c>filter</c> parameter) and the documentation's <c>{op, exprs}</c> tree (§10.4,
/// the parameter only). Shape problems are collected per JSON path, first one per path, like a
/// strict schema would; the caller decides whether they are body errors or filter errors.
/// </summary>
internal sealed class JsonFilterReader
{
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private readonly bool _inBody;

    /// <param name="inBody">True for search bodies: semantic errors are then keyed by path (<c>filters.0.or.1</c>);
    /// in the query parameter they are keyed <c>filter</c> and the path goes into the message.</param>
    public JsonFilterReader(bool inBody) => _inBody = inBody;

    public IReadOnlyDictionary<string, string> Problems => _problems;

    public bool HasProblems => _problems.Count > 0;

    /// <summary>The first problem as one message ("path: problem"), for the query parameter.</summary>
    public string FirstProblem()
    {
        var (path, problem) = _problems.First();
        return $"{problem} (at {path})";
    }

    // ---- §10.3 array form ----

    public List<IReadOnlyList<RawPredicate>> ReadArray(JsonElement array, string path)
    {
        var clauses = new List<IReadOnlyList<RawPredicate>>();
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, $"Expected array, received {TypeName(array)}");
            return clauses;
        }
        if (array.GetArrayLength() > FilterCatalog.MaxTopLevelNodes)
            Problem(path, $"Array must contain at most {FilterCatalog.MaxTopLevelNodes} element(s)");
        var i = 0;
        foreach (var node in array.EnumerateArray())
        {
            var nodePath = $"{path}.{i}";
            if (node.ValueKind != JsonValueKind.Object)
                Problem(nodePath, $"Expected object, received {TypeName(node)}");
            else if (node.TryGetProperty("or", out var group))
                clauses.Add(ReadGroup(node, group, nodePath));
            else if (ReadLeaf(node, nodePath, "operator") is { } leaf)
                clauses.Add([leaf]);
            i++;
        }
        return clauses;
    }

    private List<RawPredicate> ReadGroup(JsonElement node, JsonElement group, string path)
    {
        var leaves = new List<RawPredicate>();
        RejectUnknownKeys(node, path, "or");
        var groupPath = path + ".or";
        if (group.ValueKind != JsonValueKind.Array)
        {
            Problem(groupPath, $"Expected array, received {TypeName(group)}");
            return leaves;
        }
        if (group.GetArrayLength() == 0) Problem(groupPath, "Array must contain at least 1 element(s)");
        var j = 0;
        foreach (var element in group.EnumerateArray())
        {
            var leafPath = $"{groupPath}.{j++}";
            if (element.ValueKind != JsonValueKind.Object) Problem(leafPath, $"Expected object, received {TypeName(element)}");
            else if (element.TryGetProperty("or", out _)) Problem(leafPath, "OR groups cannot contain OR groups");
            else if (ReadLeaf(element, leafPath, "operator") is { } leaf) leaves.Add(leaf);
        }
        return leaves;
    }

    // ---- §10.4 tree form ----

    public List<IReadOnlyList<RawPredicate>> ReadTree(JsonElement root, string path)
    {
        var clauses = new List<IReadOnlyList<RawPredicate>>();
        if (root.TryGetProperty("field", out _))
        {
            if (ReadLeaf(root, path, "op") is { } single) clauses.Add([single]);
            return clauses;
        }
        RejectUnknownKeys(root, path, "op", "exprs");
        var op = TreeOp(root, path);
        var exprs = TreeExprs(root, path);
        if (op is null || exprs is null) return clauses;

        if (op == "or")
        {
            if (exprs.Value.GetArrayLength() == 0) Problem(path + ".exprs", "An 'or' needs at least 1 expression");
            var group = new List<RawPredicate>();
            var j = 0;
            foreach (var leaf in exprs.Value.EnumerateArray())
            {
                if (TreeLeaf(leaf, $"{path}.exprs.{j++}") is { } read) group.Add(read);
            }
            if (group.Count > 0) clauses.Add(group);
            return clauses;
        }

        var i = 0;
        foreach (var expr in exprs.Value.EnumerateArray())
        {
            var exprPath = $"{path}.exprs.{i++}";
            if (expr.ValueKind == JsonValueKind.Object && !expr.TryGetProperty("field", out _))
            {
                RejectUnknownKeys(expr, exprPath, "op", "exprs");
                var inner = TreeOp(expr, exprPath);
                var innerExprs = TreeExprs(expr, exprPath);
                if (inner is null || innerExprs is null) continue;
                if (inner != "or")
                {
                    Problem(exprPath, "Only 'or' nodes may appear inside an 'and' (filters are an AND of leaves and OR groups of leaves)");
                    continue;
                }
                if (innerExprs.Value.GetArrayLength() == 0) Problem(exprPath + ".exprs", "An 'or' needs at least 1 expression");
                var group = new List<RawPredicate>();
                var j = 0;
                foreach (var leaf in innerExprs.Value.EnumerateArray())
                {
                    if (TreeLeaf(leaf, $"{exprPath}.exprs.{j++}") is { } read) group.Add(read);
                }
                clauses.Add(group);
            }
            else if (TreeLeaf(expr, exprPath) is { } leaf)
            {
                clauses.Add([leaf]);
            }
        }
        return clauses;
    }

    private RawPredicate? TreeLeaf(JsonElement leaf, string path)
    {
        if (leaf.ValueKind != JsonValueKind.Object)
        {
            Problem(path, $"Expected object, received {TypeName(leaf)}");
            return null;
        }
        if (!leaf.TryGetProperty("field", out _) && leaf.TryGetProperty("exprs", out _))
        {
            Problem(path, "Filters nest at most and → or → leaf; this node is too deep");
            return null;
        }
        return ReadLeaf(leaf, path, "op");
    }

    private string? TreeOp(JsonElement node, string path)
    {
        if (!node.TryGetProperty("op", out var op)) { Problem(path + ".op", "Required"); return null; }
        var text = op.ValueKind == JsonValueKind.String ? op.GetString()!.ToLowerInvariant() : null;
        if (text is "and" or "or") return text;
        Problem(path + ".op", $"Expected 'and' or 'or', received {Describe(op)}");
        return null;
    }

    private JsonElement? TreeExprs(JsonElement node, string path)
    {
        if (!node.TryGetProperty("exprs", out var exprs)) { Problem(path + ".exprs", "Required"); return null; }
        if (exprs.ValueKind == JsonValueKind.Array) return exprs;
        Problem(path + ".exprs", $"Expected array, received {TypeName(exprs)}");
        return null;
    }

    // ---- leaves (both forms) ----

    private RawPredicate? ReadLeaf(JsonElement leaf, string path, string operatorKey)
    {
        RejectUnknownKeys(leaf, path, "field", operatorKey, "value");
        var field = ReadString(leaf, "field", path + ".field", FilterCatalog.MaxFieldLength);
        FilterOperator? op = null;
        if (!leaf.TryGetProperty(operatorKey, out var opElement)) Problem($"{path}.{operatorKey}", "Required");
        else if (opElement.ValueKind != JsonValueKind.String) Problem($"{path}.{operatorKey}", $"Expected string, received {TypeName(opElement)}");
        else if (FilterOperators.TryParseJson(opElement.GetString()!, out var parsed)) op = parsed;
        else Problem($"{path}.{operatorKey}", $"Invalid enum value. Expected {FilterOperators.CanonicalList}, received '{FilterValidator.Shorten(opElement.GetString()!)}'");

        RawValue? value = null;
        var valueOk = true;
        if (leaf.TryGetProperty("value", out var valueElement)) value = ReadValue(valueElement, path + ".value", out valueOk);
        if (field is null || op is null || !valueOk) return null;

        // Body errors are keyed by the node's path; parameter errors by "filter", with the path in the message.
        return _inBody ? new RawPredicate(field, op.Value, value, path, "") : new RawPredicate(field, op.Value, value, "filter", path);
    }

    private RawValue? ReadValue(JsonElement value, string path, out bool ok)
    {
        ok = true;
        switch (value.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number:
                var scalar = Scalar(value, path);
                ok = scalar is not null;
                return scalar is null ? null : RawValue.Scalar(scalar);
            case JsonValueKind.Array:
                if (value.GetArrayLength() > FilterCatalog.MaxInValues)
                {
                    Problem(path, $"Array must contain at most {FilterCatalog.MaxInValues} element(s)");
                    ok = false;
                    return null;
                }
                var items = new List<string>(value.GetArrayLength());
                var k = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var itemPath = $"{path}.{k++}";
                    if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                    {
                        Problem(itemPath, $"Expected string or number, received {TypeName(item)}");
                        ok = false;
                    }
                    else if (Scalar(item, itemPath) is { } text) items.Add(text);
                    else ok = false;
                }
                return ok ? new RawValue(true, items) : null;
            default:
                Problem(path, $"Expected string, number or array, received {TypeName(value)}");
                ok = false;
                return null;
        }
    }

    /// <summary>A string (≤500, no lone surrogates) or a finite number turned into its JavaScript string.</summary>
    private string? Scalar(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetDouble(out var number) && double.IsFinite(number)) return JsFormat.NumberToString(number);
            Problem(path, "Number must be finite");
            return null;
        }
        var text = SafeString(value, path);
        if (text is null) return null;
        if (text.Length > FilterCatalog.MaxValueLength)
        {
            Problem(path, $"String must contain at most {FilterCatalog.MaxValueLength} character(s)");
            return null;
        }
        return text;
    }

    private string? ReadString(JsonElement obj, string name, string path, int maxLength)
    {
        if (!obj.TryGetProperty(name, out var value)) { Problem(path, "Required"); return null; }
        if (value.ValueKind != JsonValueKind.String) { Problem(path, $"Expected string, received {TypeName(value)}"); return null; }
        var text = SafeString(value, path);
        if (text is null) return null;
        if (text.Length == 0) { Problem(path, "String must contain at least 1 character(s)"); return null; }
        if (text.Length > maxLength) { Problem(path, $"String must contain at most {maxLength} character(s)"); return null; }
        return text;
    }

    /// <summary>Rejects unpaired surrogates (wire-contract §1.3, noLoneSurrogates on filters).</summary>
    private string? SafeString(JsonElement value, string path)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Problem(path, "String contains invalid UTF-8 (unpaired surrogate characters).");
            return null;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i]))
            {
                Problem(path, "String contains invalid UTF-8 (unpaired surrogate characters).");
                return null;
            }
        }
        return text;
    }

    private void RejectUnknownKeys(JsonElement obj, string path, params string[] allowed)
    {
        List<string>? unknown = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0) (unknown ??= []).Add($"'{FilterValidator.Shorten(property.Name)}'");
        }
        if (unknown is not null) Problem(path, $"Unrecognized key(s) in object: {string.Join(", ", unknown)}");
    }

    private void Problem(string path, string message) => _problems.TryAdd(path, message);

    internal static string TypeName(JsonElement value) => JsonKinds.Name(value.ValueKind);

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $"'{FilterValidator.Shorten(value.GetString()!)}'" : TypeName(value);
}
