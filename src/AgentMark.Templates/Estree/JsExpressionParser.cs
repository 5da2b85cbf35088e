using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Estree;

/// <summary>
/// Recursive-descent parser for JavaScript expressions with JSX, producing acorn-compatible ESTree
/// JSON (what <c>micromark-extension-mdx-expression</c> stores in <c>data.estree</c>): every node has
/// <c>start</c>/<c>end</c> (absolute offsets), <c>loc</c> (1-based line, 0-based column, offset) and
/// <c>range</c>; parentheses are dropped like the reference does. Function and class bodies are not
/// modelled: they raise <see cref="JsUnsupportedException"/> and the caller validates with Acornima.
/// </summary>
internal sealed partial class JsExpressionParser
{
    private static readonly Dictionary<string, int> BinaryPrecedence = new()
    {
        ["??"] = 1, ["||"] = 1, ["&&"] = 2, ["|"] = 3, ["^"] = 4, ["&"] = 5,
        ["=="] = 6, ["!="] = 6, ["==="] = 6, ["!=="] = 6,
        ["<"] = 7, [">"] = 7, ["<="] = 7, [">="] = 7, ["instanceof"] = 7, ["in"] = 7,
        ["<<"] = 8, [">>"] = 8, [">>>"] = 8, ["+"] = 9, ["-"] = 9, ["*"] = 10, ["/"] = 10, ["%"] = 10, ["**"] = 11,
    };

    private static readonly HashSet<string> AssignmentOperators =
        ["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="];

    private readonly JsLexer _lexer;
    private readonly Func<int, SourcePoint> _map;
    private Token _tok;
    private Token _prev;
    private int _depth;

    private JsExpressionParser(string source, Func<int, SourcePoint> map)
    {
        _lexer = new JsLexer(source);
        _map = map;
    }

    /// <summary>
    /// Parses the text of a <c>{…}</c> container like micromark does: one expression followed only by
    /// whitespace and comments, or nothing but whitespace and comments (empty body). With
    /// <paramref name="spread"/> the text is wrapped in <c>({</c> … <c>})</c> (spread attributes).
    /// </summary>
    public static JsonObject ParseProgram(string value, Func<int, SourcePoint> mapValueOffset, bool spread = false)
    {
        var prefix = spread ? "({" : "";
        var text = spread ? "({" + value + "})" : value;
        var sourceLength = prefix.Length + value.Length;
        SourcePoint Map(int offset) => mapValueOffset(Math.Clamp(offset - prefix.Length, 0, value.Length));
        var parser = new JsExpressionParser(text, Map);
        if (!spread && IsEmptyExpression(value))
        {
            parser._lexer.SkipTrivia();
            var empty = parser.Finish(new JsonObject { ["type"] = "Program", ["body"] = new JsonArray(), ["sourceType"] = "module" }, 0, sourceLength);
            empty["comments"] = parser.CommentsJson();
            return empty;
        }
        parser.Advance();
        var expression = parser.ParseExpression();
        if (parser._tok.Kind != TokenKind.Eof)
            throw new JsSyntaxException("Unexpected content after expression", parser._tok.Start);
        var statement = parser.Finish(new JsonObject { ["type"] = "ExpressionStatement", ["expression"] = expression }, 0, sourceLength);
        var program = parser.Finish(new JsonObject { ["type"] = "Program", ["body"] = new JsonArray(statement), ["sourceType"] = "module" }, 0, sourceLength);
        program["comments"] = parser.CommentsJson();
        return program;
    }

    /// <summary>Whitespace and comments only (the reference's <c>empty</c> test).</summary>
    public static bool IsEmptyExpression(string value)
    {
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && i + 1 < value.Length && value[i + 1] == '*')
            {
                var end = value.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) return false;
                i = end + 2;
                continue;
            }
            if (c == '/' && i + 1 < value.Length && value[i + 1] == '/')
            {
                // The reference only strips `//` comments that end with a line ending.
                var end = value.IndexOfAny(['\r', '\n'], i);
                if (end < 0) return false;
                i = end;
                continue;
            }
            return false;
        }
        return true;
    }

    private JsonArray CommentsJson()
    {
        var array = new JsonArray();
        foreach (var (block, value, start, end) in _lexer.Comments)
            array.Add(Finish(new JsonObject { ["type"] = block ? "Block" : "Line", ["value"] = value }, start, end));
        return array;
    }

    /// <summary>Absolute offsets only: <c>loc</c> and <c>range</c> are derived from them when the tree is
    /// written (<see cref="EstreeJson"/>), which keeps building a tree cheap.</summary>
    private JsonObject Finish(JsonObject node, int start, int end)
    {
        node["start"] = _map(start).Offset;
        node["end"] = _map(end).Offset;
        return node;
    }

    /// <summary>Finishes a node built with its relative start in <c>__s</c>.</summary>
    private JsonObject Done(JsonObject node, int end)
    {
        var start = node["__s"]!.GetValue<int>();
        node.Remove("__s");
        return Finish(node, start, end);
    }

    // ---- token helpers -------------------------------------------------------------------

    private bool RegexAllowedAfterPrevious()
    {
        var p = _prev;
        if (p.Kind == TokenKind.Eof && p.End == 0) return true;
        return p.Kind switch
        {
            TokenKind.Punct => p.Text is not (")" or "]" or "}"),
            TokenKind.Keyword => p.Text is not ("this" or "null" or "true" or "false" or "super"),
            TokenKind.Name or TokenKind.Number or TokenKind.String or TokenKind.BigInt or TokenKind.Regex or TokenKind.Template => false,
            _ => true,
        };
    }

    private void Advance()
    {
        _prev = _tok;
        _tok = _lexer.Next(RegexAllowedAfterPrevious());
    }

    private bool Is(string punct) => _tok.Kind == TokenKind.Punct && _tok.Text == punct;
    private bool IsKeyword(string keyword) => _tok.Kind == TokenKind.Keyword && _tok.Text == keyword;
    private bool IsName(string name) => _tok.Kind == TokenKind.Name && _tok.Text == name;

    private bool Eat(string punct)
    {
        if (!Is(punct)) return false;
        Advance();
        return true;
    }

    private void Expect(string punct)
    {
        if (!Eat(punct)) throw Unexpected();
    }

    private JsSyntaxException Unexpected() =>
        _tok.Kind == TokenKind.Eof ? new JsSyntaxException("Unexpected token", _tok.Start) : new JsSyntaxException("Unexpected token", _tok.Start);

    private void Enter()
    {
        if (++_depth > 200) throw new JsSyntaxException("Expression nested too deeply", _tok.Start);
    }

    // ---- expressions ---------------------------------------------------------------------

    private JsonObject ParseExpression()
    {
        var start = _tok.Start;
        var first = ParseAssign();
        if (!Is(",")) return first;
        var expressions = new JsonArray(first);
        while (Eat(",")) expressions.Add(ParseAssign());
        return Done(new JsonObject { ["type"] = "SequenceExpression", ["expressions"] = expressions, ["__s"] = start }, _prev.End);
    }

    private JsonObject ParseAssign()
    {
        Enter();
        try
        {
            if (TryParseArrow(out var arrow)) return arrow!;
            var start = _tok.Start;
            if (IsKeyword("function") || IsKeyword("class") || (IsName("async") && PeekIsFunction()))
                throw new JsUnsupportedException("function or class expression", _tok.Start);
            if (IsName("yield")) throw new JsUnsupportedException("yield", _tok.Start);
            var left = ParseConditional();
            if (_tok.Kind == TokenKind.Punct && AssignmentOperators.Contains(_tok.Text))
            {
                var op = _tok.Text;
                var target = op == "=" ? ToAssignable(left, _prev.Start) : CheckSimpleTarget(left);
                Advance();
                var right = ParseAssign();
                return Done(new JsonObject { ["type"] = "AssignmentExpression", ["operator"] = op, ["left"] = target, ["right"] = right, ["__s"] = start }, _prev.End);
            }
            return left;
        }
        finally { _depth--; }
    }

    private bool PeekIsFunction()
    {
        var save = (_lexer.Pos, _tok, _prev, _lexer.Comments.Count);
        Advance();
        var result = IsKeyword("function") && !_tok.NewlineBefore;
        (_lexer.Pos, _tok, _prev) = (save.Item1, save._tok, save._prev);
        _lexer.Comments.RemoveRange(save.Item4, _lexer.Comments.Count - save.Item4);
        return result;
    }

    private static JsonObject CheckSimpleTarget(JsonObject node)
    {
        var type = (string)node["type"]!;
        if (type is "Identifier" or "MemberExpression") return node;
        throw new JsSyntaxException("Assigning to rvalue", node["start"]!.GetValue<int>());
    }

    /// <summary>Arrow functions: <c>x =&gt;</c>, <c>(a, b) =&gt;</c>, <c>async (…) =&gt;</c>. Uses a
    /// lookahead scan to the matching parenthesis so plain parenthesised expressions are unaffected.</summary>
    private bool TryParseArrow(out JsonObject? arrow)
    {
        arrow = null;
        var start = _tok.Start;
        var isAsync = false;
        var save = (_lexer.Pos, _tok, _prev, _lexer.Comments.Count);
        if (IsName("async"))
        {
            Advance();
            if (!_tok.NewlineBefore && (_tok.Kind == TokenKind.Name || Is("(")))
                isAsync = true;
            else
            {
                Restore(save);
                return false;
            }
        }
        if (_tok.Kind == TokenKind.Name)
        {
            var nameToken = _tok;
            Advance();
            if (Is("=>") && !_tok.NewlineBefore)
            {
                var param = Finish(new JsonObject { ["type"] = "Identifier", ["name"] = nameToken.Text }, nameToken.Start, nameToken.End);
                Advance();
                arrow = ParseArrowBody(start, new JsonArray(param), isAsync);
                return true;
            }
            Restore(save);
            return false;
        }
        if (Is("(") && ParenFollowedByArrow())
        {
            Advance();
            var parameters = new JsonArray();
            while (!Is(")"))
            {
                if (Is("..."))
                {
                    var restStart = _tok.Start;
                    Advance();
                    var argument = ToAssignable(ParseAssign(), restStart);
                    parameters.Add(Done(new JsonObject { ["type"] = "RestElement", ["argument"] = argument, ["__s"] = restStart }, _prev.End));
                    if (!Is(")")) throw Unexpected();
                    break;
                }
                var paramStart = _tok.Start;
                parameters.Add(ToAssignable(ParseAssign(), paramStart));
                if (!Is(")")) Expect(",");
            }
            Expect(")");
            if (!Is("=>") || _tok.NewlineBefore) throw Unexpected();
            Advance();
            arrow = ParseArrowBody(start, parameters, isAsync);
            return true;
        }
        Restore(save);
        return false;
    }

    private void Restore((int Pos, Token Tok, Token Prev, int Comments) save)
    {
        (_lexer.Pos, _tok, _prev) = (save.Pos, save.Tok, save.Prev);
        _lexer.Comments.RemoveRange(save.Comments, _lexer.Comments.Count - save.Comments);
    }

    /// <summary>Scans tokens from the current <c>(</c> to its match and checks for <c>=&gt;</c>.</summary>
    private bool ParenFollowedByArrow()
    {
        var save = (_lexer.Pos, _tok, _prev, _lexer.Comments.Count);
        try
        {
            var depth = 0;
            while (_tok.Kind != TokenKind.Eof)
            {
                if (Is("(") || Is("[") || Is("{")) depth++;
                else if (Is(")") || Is("]") || Is("}"))
                {
                    depth--;
                    if (depth == 0)
                    {
                        Advance();
                        return Is("=>") && !_tok.NewlineBefore;
                    }
                }
                else if (_tok.Kind == TokenKind.Template)
                {
                    // Skip template contents.
                    SkipTemplate();
                }
                Advance();
            }
            return false;
        }
        catch (JsSyntaxException) { return false; }
        finally { Restore(save); }
    }

    private void SkipTemplate()
    {
        var s = _lexer.Source;
        var pos = _lexer.Pos;
        var depth = 0;
        while (pos < s.Length)
        {
            var c = s[pos];
            if (c == '\\') { pos += 2; continue; }
            if (depth == 0 && c == '`') { pos++; break; }
            if (c == '$' && pos + 1 < s.Length && s[pos + 1] == '{') { depth++; pos += 2; continue; }
            if (c == '}' && depth > 0) depth--;
            pos++;
        }
        _lexer.Pos = pos;
    }

    private JsonObject ParseArrowBody(int start, JsonArray parameters, bool isAsync)
    {
        if (Is("{")) throw new JsUnsupportedException("arrow function with a block body", _tok.Start);
        var body = ParseAssign();
        return Done(new JsonObject
        {
            ["type"] = "ArrowFunctionExpression", ["id"] = null, ["expression"] = true, ["generator"] = false, ["async"] = isAsync,
            ["params"] = parameters, ["body"] = body, ["__s"] = start,
        }, _prev.End);
    }

    /// <summary>Turns an expression parsed in pattern position into an ESTree pattern.</summary>
    private static JsonObject ToAssignable(JsonObject node, int at)
    {
        var type = (string)node["type"]!;
        switch (type)
        {
            case "Identifier" or "MemberExpression" or "ObjectPattern" or "ArrayPattern" or "AssignmentPattern" or "RestElement":
                return node;
            case "AssignmentExpression" when (string)node["operator"]! == "=":
                node["type"] = "AssignmentPattern";
                node.Remove("operator");
                return node;
            case "ObjectExpression":
                node["type"] = "ObjectPattern";
                foreach (var property in node["properties"]!.AsArray())
                {
                    var p = property!.AsObject();
                    if ((string)p["type"]! == "SpreadElement")
                    {
                        p["type"] = "RestElement";
                        continue;
                    }
                    var value = p["value"]!.AsObject();
                    p.Remove("value");
                    p["value"] = ToAssignable(value, at);
                }
                return node;
            case "ArrayExpression":
                node["type"] = "ArrayPattern";
                var elements = node["elements"]!.AsArray();
                for (var i = 0; i < elements.Count; i++)
                {
                    if (elements[i] is not JsonObject element) continue;
                    if ((string)element["type"]! == "SpreadElement") { element["type"] = "RestElement"; continue; }
                    elements.RemoveAt(i);
                    elements.Insert(i, ToAssignable(element, at));
                }
                return node;
            default:
                throw new JsSyntaxException("Assigning to rvalue", node["start"]?.GetValue<int>() ?? at);
        }
    }

    private JsonObject ParseConditional()
    {
        var start = _tok.Start;
        var test = ParseBinary(0);
        if (!Eat("?")) return test;
        var consequent = ParseAssign();
        Expect(":");
        var alternate = ParseAssign();
        return Done(new JsonObject { ["type"] = "ConditionalExpression", ["test"] = test, ["consequent"] = consequent, ["alternate"] = alternate, ["__s"] = start }, _prev.End);
    }

    private string? BinaryOperator()
    {
        if (_tok.Kind == TokenKind.Punct && BinaryPrecedence.ContainsKey(_tok.Text)) return _tok.Text;
        if (_tok.Kind == TokenKind.Keyword && _tok.Text is "in" or "instanceof") return _tok.Text;
        return null;
    }

    private JsonObject ParseBinary(int minPrecedence)
    {
        var start = _tok.Start;
        var left = ParseUnary();
        return ParseBinaryRest(left, start, minPrecedence);
    }

    private JsonObject ParseBinaryRest(JsonObject left, int start, int minPrecedence)
    {
        while (BinaryOperator() is { } op)
        {
            var precedence = BinaryPrecedence[op];
            if (precedence <= minPrecedence) break;
            Advance();
            var rightStart = _tok.Start;
            var right = op == "**" ? ParseBinaryRest(ParseUnary(), rightStart, precedence - 1) : ParseBinaryRest(ParseUnary(), rightStart, precedence);
            var logical = op is "||" or "&&" or "??";
            left = Done(new JsonObject { ["type"] = logical ? "LogicalExpression" : "BinaryExpression", ["left"] = left, ["operator"] = op, ["right"] = right, ["__s"] = start }, _prev.End);
        }
        return left;
    }

    private JsonObject ParseUnary()
    {
        Enter();
        try
        {
            var start = _tok.Start;
            if ((_tok.Kind == TokenKind.Punct && _tok.Text is "!" or "~" or "+" or "-") || (_tok.Kind == TokenKind.Keyword && _tok.Text is "typeof" or "void" or "delete"))
            {
                var op = _tok.Text;
                Advance();
                var argument = ParseUnary();
                if (Is("**")) throw new JsSyntaxException("Illegal expression. Wrap left hand side or entire exponentiation in parentheses.", _tok.Start);
                return Done(new JsonObject { ["type"] = "UnaryExpression", ["operator"] = op, ["prefix"] = true, ["argument"] = argument, ["__s"] = start }, _prev.End);
            }
            if (Is("++") || Is("--"))
            {
                var op = _tok.Text;
                Advance();
                var argument = CheckSimpleTarget(ParseUnary());
                return Done(new JsonObject { ["type"] = "UpdateExpression", ["operator"] = op, ["prefix"] = true, ["argument"] = argument, ["__s"] = start }, _prev.End);
            }
            if (IsName("await")) throw new JsUnsupportedException("await", _tok.Start);
            var expression = ParseSubscripts(ParsePrimary(), start);
            if ((Is("++") || Is("--")) && !_tok.NewlineBefore)
            {
                CheckSimpleTarget(expression);
                var op = _tok.Text;
                Advance();
                return Done(new JsonObject { ["type"] = "UpdateExpression", ["operator"] = op, ["prefix"] = false, ["argument"] = expression, ["__s"] = start }, _prev.End);
            }
            return expression;
        }
        finally { _depth--; }
    }

    private JsonObject ParseSubscripts(JsonObject expression, int start, bool noCalls = false)
    {
        var chained = false;
        while (true)
        {
            if (Is("?."))
            {
                if (noCalls) throw new JsSyntaxException("Optional chaining cannot appear in the callee of new expressions", _tok.Start);
                chained = true;
                Advance();
                if (Is("("))
                {
                    var args = ParseArguments();
                    expression = Done(new JsonObject { ["type"] = "CallExpression", ["callee"] = expression, ["arguments"] = args, ["optional"] = true, ["__s"] = start }, _prev.End);
                }
                else if (Is("["))
                {
                    Advance();
                    var property = ParseExpression();
                    Expect("]");
                    expression = Done(new JsonObject { ["type"] = "MemberExpression", ["object"] = expression, ["property"] = property, ["computed"] = true, ["optional"] = true, ["__s"] = start }, _prev.End);
                }
                else
                {
                    var property = ParsePropertyName();
                    expression = Done(new JsonObject { ["type"] = "MemberExpression", ["object"] = expression, ["property"] = property, ["computed"] = false, ["optional"] = true, ["__s"] = start }, _prev.End);
                }
            }
            else if (Is("."))
            {
                Advance();
                var property = ParsePropertyName();
                expression = Done(new JsonObject { ["type"] = "MemberExpression", ["object"] = expression, ["property"] = property, ["computed"] = false, ["optional"] = false, ["__s"] = start }, _prev.End);
            }
            else if (Is("["))
            {
                Advance();
                var property = ParseExpression();
                Expect("]");
                expression = Done(new JsonObject { ["type"] = "MemberExpression", ["object"] = expression, ["property"] = property, ["computed"] = true, ["optional"] = false, ["__s"] = start }, _prev.End);
            }
            else if (Is("(") && !noCalls)
            {
                var args = ParseArguments();
                expression = Done(new JsonObject { ["type"] = "CallExpression", ["callee"] = expression, ["arguments"] = args, ["optional"] = false, ["__s"] = start }, _prev.End);
            }
            else if (_tok.Kind == TokenKind.Template)
            {
                if (chained) throw new JsSyntaxException("Optional chaining cannot appear in the tag of tagged template expressions", _tok.Start);
                var quasi = ParseTemplate(tagged: true);
                expression = Done(new JsonObject { ["type"] = "TaggedTemplateExpression", ["tag"] = expression, ["quasi"] = quasi, ["__s"] = start }, _prev.End);
            }
            else break;
        }
        if (chained)
            expression = Done(new JsonObject { ["type"] = "ChainExpression", ["expression"] = expression, ["__s"] = start }, _prev.End);
        return expression;
    }

    private JsonObject ParsePropertyName()
    {
        if (_tok.Kind is TokenKind.Name or TokenKind.Keyword)
        {
            var t = _tok;
            Advance();
            return Finish(new JsonObject { ["type"] = "Identifier", ["name"] = t.Text }, t.Start, t.End);
        }
        if (_tok.Kind == TokenKind.PrivateName) throw new JsUnsupportedException("private name", _tok.Start);
        throw Unexpected();
    }

    private JsonArray ParseArguments()
    {
        Expect("(");
        var args = new JsonArray();
        while (!Is(")"))
        {
            if (Is("..."))
            {
                var spreadStart = _tok.Start;
                Advance();
                var argument = ParseAssign();
                args.Add(Done(new JsonObject { ["type"] = "SpreadElement", ["argument"] = argument, ["__s"] = spreadStart }, _prev.End));
            }
            else args.Add(ParseAssign());
            if (!Is(")")) Expect(",");
        }
        Expect(")");
        return args;
    }

    private JsonObject ParsePrimary()
    {
        var t = _tok;
        switch (t.Kind)
        {
            case TokenKind.Name:
                Advance();
                return Finish(new JsonObject { ["type"] = "Identifier", ["name"] = t.Text }, t.Start, t.End);
            case TokenKind.Number:
                Advance();
                return Finish(new JsonObject { ["type"] = "Literal", ["value"] = JsonNumber((double)t.Value!), ["raw"] = t.Text }, t.Start, t.End);
            case TokenKind.BigInt:
                Advance();
                return Finish(new JsonObject { ["type"] = "Literal", ["value"] = null, ["raw"] = t.Text, ["bigint"] = (string)t.Value! }, t.Start, t.End);
            case TokenKind.String:
                Advance();
                return Finish(new JsonObject { ["type"] = "Literal", ["value"] = (string)t.Value!, ["raw"] = t.Text }, t.Start, t.End);
            case TokenKind.Regex:
                Advance();
                var (pattern, flags) = ((string, string))t.Value!;
                return Finish(new JsonObject
                {
                    ["type"] = "Literal", ["value"] = new JsonObject(), ["raw"] = t.Text,
                    ["regex"] = new JsonObject { ["pattern"] = pattern, ["flags"] = flags },
                }, t.Start, t.End);
            case TokenKind.Template:
                return ParseTemplate(tagged: false);
            case TokenKind.Keyword:
                switch (t.Text)
                {
                    case "this":
                        Advance();
                        return Finish(new JsonObject { ["type"] = "ThisExpression" }, t.Start, t.End);
                    case "null":
                        Advance();
                        return Finish(new JsonObject { ["type"] = "Literal", ["value"] = null, ["raw"] = "null" }, t.Start, t.End);
                    case "true" or "false":
                        Advance();
                        return Finish(new JsonObject { ["type"] = "Literal", ["value"] = t.Text == "true", ["raw"] = t.Text }, t.Start, t.End);
                    case "new":
                        return ParseNew();
                    case "function" or "class" or "super" or "import":
                        throw new JsUnsupportedException(t.Text, t.Start);
                }
                throw Unexpected();
            case TokenKind.Punct:
                switch (t.Text)
                {
                    case "(":
                        Advance();
                        var inner = ParseExpression();
                        Expect(")");
                        return inner;
                    case "[":
                        return ParseArray();
                    case "{":
                        return ParseObject();
                    case "<":
                        var element = ParseJsxElementAt(t.Start);
                        _lexer.Pos = LastJsxEnd;
                        // After a JSX element a `/` is a division, as after `)`.
                        _prev = new Token(TokenKind.Punct, ")", LastJsxEnd - 1, LastJsxEnd);
                        _tok = _lexer.Next(false);
                        return element;
                }
                throw Unexpected();
            default:
                throw Unexpected();
        }
    }

    private static JsonNode JsonNumber(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 9007199254740992d ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private JsonObject ParseNew()
    {
        var start = _tok.Start;
        Advance();
        if (Is(".")) throw new JsUnsupportedException("new.target", start);
        var calleeStart = _tok.Start;
        var callee = ParseSubscripts(ParsePrimary(), calleeStart, noCalls: true);
        var args = Is("(") ? ParseArguments() : new JsonArray();
        var node = Done(new JsonObject { ["type"] = "NewExpression", ["callee"] = callee, ["arguments"] = args, ["__s"] = start }, _prev.End);
        return node;
    }
}
