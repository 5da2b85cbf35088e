using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using Acornima;
using Acornima.Ast;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Estree;

/// <summary>
/// For valid JavaScript the built-in expression parser does not model (function and class
/// expressions, block-bodied arrows, <c>await</c>…): Acornima, a port of acorn, validates it and its
/// tree is converted to ESTree JSON generically (Acornima's node and property names follow ESTree).
/// </summary>
internal static class AcornimaFallback
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesByType = new();
    private static readonly HashSet<string> SkippedProperties =
        ["Type", "TypeText", "Start", "End", "Range", "RangeRef", "Location", "LocationRef", "ChildNodes", "UserData"];

    private static readonly Dictionary<string, string> Operators = new()
    {
        ["Addition"] = "+", ["Subtraction"] = "-", ["Multiplication"] = "*", ["Division"] = "/", ["Remainder"] = "%",
        ["Exponentiation"] = "**", ["Equality"] = "==", ["Inequality"] = "!=", ["StrictEquality"] = "===",
        ["StrictInequality"] = "!==", ["LessThan"] = "<", ["GreaterThan"] = ">", ["LessThanOrEqual"] = "<=",
        ["GreaterThanOrEqual"] = ">=", ["LogicalAnd"] = "&&", ["LogicalOr"] = "||", ["NullishCoalescing"] = "??",
        ["BitwiseAnd"] = "&", ["BitwiseOr"] = "|", ["BitwiseXor"] = "^", ["LeftShift"] = "<<", ["RightShift"] = ">>",
        ["UnsignedRightShift"] = ">>>", ["In"] = "in", ["InstanceOf"] = "instanceof", ["TypeOf"] = "typeof",
        ["Void"] = "void", ["Delete"] = "delete", ["LogicalNot"] = "!", ["BitwiseNot"] = "~", ["UnaryPlus"] = "+",
        ["UnaryNegation"] = "-", ["Increment"] = "++", ["Decrement"] = "--", ["Assignment"] = "=",
        ["AdditionAssignment"] = "+=", ["SubtractionAssignment"] = "-=", ["MultiplicationAssignment"] = "*=",
        ["DivisionAssignment"] = "/=", ["RemainderAssignment"] = "%=", ["ExponentiationAssignment"] = "**=",
        ["LeftShiftAssignment"] = "<<=", ["RightShiftAssignment"] = ">>=", ["UnsignedRightShiftAssignment"] = ">>>=",
        ["BitwiseAndAssignment"] = "&=", ["BitwiseOrAssignment"] = "|=", ["BitwiseXorAssignment"] = "^=",
        ["LogicalAndAssignment"] = "&&=", ["LogicalOrAssignment"] = "||=", ["NullishCoalescingAssignment"] = "??=",
    };

    public static bool TryParse(string value, bool spread, Func<int, SourcePoint> map, out JsonObject? estree, out int errorOffset)
    {
        estree = null;
        errorOffset = 0;
        var prefix = spread ? "({" : "";
        var text = prefix + value + (spread ? "})" : "");
        try
        {
            var parser = new Parser(new ParserOptions { EcmaVersion = EcmaVersion.Latest, AllowAwaitOutsideFunction = true });
            var expression = parser.ParseExpression(text);
            SourcePoint Map(int offset) => map(Math.Clamp(offset - prefix.Length, 0, value.Length));
            var body = Convert(expression, Map)!.AsObject();
            var statement = Positioned(new JsonObject { ["type"] = "ExpressionStatement", ["expression"] = body }, 0, text.Length, Map);
            estree = Positioned(new JsonObject { ["type"] = "Program", ["body"] = new JsonArray(statement), ["sourceType"] = "module", ["comments"] = new JsonArray() }, 0, text.Length, Map);
            return true;
        }
        catch (ParseErrorException error)
        {
            errorOffset = Math.Max(0, error.Error.Index - prefix.Length);
            return false;
        }
    }

    private static JsonNode? Convert(object? value, Func<int, SourcePoint> map)
    {
        switch (value)
        {
            case null: return null;
            case Node node:
                var json = new JsonObject { ["type"] = node.Type.ToString() };
                foreach (var property in PropertiesByType.GetOrAdd(node.GetType(), Properties))
                {
                    var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                    var propertyValue = property.GetValue(node);
                    json[name] = propertyValue switch
                    {
                        Node or null => Convert(propertyValue, map),
                        string s => s,
                        bool b => b,
                        double d => d,
                        int i => i,
                        Enum e when property.Name == "Operator" => Operators.GetValueOrDefault(e.ToString(), e.ToString()),
                        Enum e => e.ToString().ToLowerInvariant(),
                        IEnumerable items => new JsonArray(items.Cast<object?>().Select(item => Convert(item, map)).ToArray()),
                        _ => propertyValue.ToString(),
                    };
                }
                return Positioned(json, node.Start, node.End, map);
            default:
                return JsonValue.Create(value.ToString());
        }
    }

    private static PropertyInfo[] Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && !SkippedProperties.Contains(p.Name) && !p.PropertyType.IsByRef)
            .GroupBy(p => p.Name).Select(g => g.First()).ToArray();

    private static JsonObject Positioned(JsonObject node, int start, int end, Func<int, SourcePoint> map)
    {
        node["start"] = map(start).Offset;
        node["end"] = map(end).Offset;
        return node;
    }
}
