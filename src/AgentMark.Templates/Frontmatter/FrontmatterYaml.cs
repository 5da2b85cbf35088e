using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentMark.Templates.Frontmatter;

/// <summary>
/// Reading frontmatter YAML as JSON values (YAML 1.2 core schema typing, as js-yaml does) and
/// editing it textually: the gateway never re-dumps a whole document, so scalars the author wrote
/// keep the type both SDK YAML parsers (js-yaml, PyYAML) give them.
/// </summary>
public static partial class FrontmatterYaml
{
    /// <summary>Parses a YAML document; null when it is not valid YAML.</summary>
    public static JsonNode? TryParse(string yaml, out bool valid)
    {
        valid = false;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            valid = true;
            return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode, 0);
        }
        catch (YamlException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    private static JsonNode? ToJson(YamlNode node, int depth)
    {
        if (depth > 200) throw new InvalidOperationException("YAML nested too deeply");
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "null" : key.ToString();
                    obj[name] = ToJson(value, depth + 1);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children) array.Add(ToJson(item, depth + 1));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(value);
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value is "tag:yaml.org,2002:str") return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return JsonValue.Create(double.PositiveInfinity.ToString(CultureInfo.InvariantCulture));
        }
        if (IntegerPattern().IsMatch(value) && long.TryParse(value.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return JsonValue.Create(hex);
        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>
    /// Replaces a top-level key's whole block (its line and the indented lines under it) by
    /// <c>key: &lt;json&gt;</c>; JSON flow syntax reads back the same in YAML 1.1 and 1.2 parsers.
    /// Appends the key when it is absent.
    /// </summary>
    public static string ReplaceTopLevelKey(string yaml, string key, JsonNode? value)
    {
        var replacement = key + ": " + (value?.ToJsonString() ?? "null");
        var lines = SplitLines(yaml);
        var start = lines.FindIndex(line => IsTopLevelKeyLine(line, key));
        if (start < 0) return AppendBlock(yaml, replacement);
        var end = start + 1;
        while (end < lines.Count && (lines[end].Length == 0 || lines[end][0] is ' ' or '\t' || lines[end].TrimStart().StartsWith('#'))) end++;
        // Trailing blank lines belong to what follows.
        while (end > start + 1 && lines[end - 1].Trim().Length == 0) end--;
        lines.RemoveRange(start, end - start);
        lines.Insert(start, replacement);
        return string.Join(LineEnding(yaml), lines);
    }

    public static bool IsTopLevelKeyLine(string line, string key) =>
        line.StartsWith(key, StringComparison.Ordinal) && line.Length > key.Length && line[key.Length] == ':'
        && (line.Length == key.Length + 1 || line[key.Length + 1] is ' ' or '\t')
        || line.StartsWith($"\"{key}\":", StringComparison.Ordinal) || line.StartsWith($"'{key}':", StringComparison.Ordinal);

    public static string AppendBlock(string yaml, string block)
    {
        var ending = LineEnding(yaml);
        var trimmed = yaml.TrimEnd('\r', '\n', ' ', '\t');
        return trimmed.Length == 0 ? block : trimmed + ending + block;
    }

    public static List<string> SplitLines(string yaml) => yaml.Replace("\r\n", "\n").Split('\n').ToList();

    public static string LineEnding(string yaml) => yaml.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    /// <summary>A YAML double-quoted scalar (valid JSON string syntax too).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
