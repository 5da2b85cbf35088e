using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Estree;

/// <summary>Array, object and template literals.</summary>
internal sealed partial class JsExpressionParser
{
    private JsonObject ParseArray()
    {
        var start = _tok.Start;
        Advance();
        var elements = new JsonArray();
        while (!Is("]"))
        {
            if (Is(",")) { Advance(); elements.Add(null); continue; }
            if (Is("..."))
            {
                var spreadStart = _tok.Start;
                Advance();
                var argument = ParseAssign();
                elements.Add(Done(new JsonObject { ["type"] = "SpreadElement", ["argument"] = argument, ["__s"] = spreadStart }, _prev.End));
            }
            else elements.Add(ParseAssign());
            if (!Is("]")) Expect(",");
        }
        Expect("]");
        return Done(new JsonObject { ["type"] = "ArrayExpression", ["elements"] = elements, ["__s"] = start }, _prev.End);
    }

    private JsonObject ParseObject()
    {
        var start = _tok.Start;
        Advance();
        var properties = new JsonArray();
        while (!Is("}"))
        {
            var propertyStart = _tok.Start;
            if (Is("..."))
            {
                Advance();
                var argument = ParseAssign();
                properties.Add(Done(new JsonObject { ["type"] = "SpreadElement", ["argument"] = argument, ["__s"] = propertyStart }, _prev.End));
            }
            else
            {
                var computed = false;
                JsonObject key;
                var keyToken = _tok;
                if (Is("["))
                {
                    Advance();
                    computed = true;
                    key = ParseAssign();
                    Expect("]");
                }
                else if (_tok.Kind is TokenKind.Name or TokenKind.Keyword)
                {
                    Advance();
                    key = Finish(new JsonObject { ["type"] = "Identifier", ["name"] = keyToken.Text }, keyToken.Start, keyToken.End);
                    if (keyToken.Kind == TokenKind.Name && keyToken.Text is "get" or "set" or "async" && !Is(":") && !Is(",") && !Is("}") && !Is("(") && !Is("="))
                        throw new JsUnsupportedException("accessor or async method", keyToken.Start);
                }
                else if (_tok.Kind is TokenKind.String or TokenKind.Number)
                {
                    key = ParsePrimary();
                }
                else if (Is("*")) throw new JsUnsupportedException("generator method", _tok.Start);
                else throw Unexpected();

                if (Is("(")) throw new JsUnsupportedException("object method", _tok.Start);
                if (Eat(":"))
                {
                    var value = ParseAssign();
                    properties.Add(Done(new JsonObject
                    {
                        ["type"] = "Property", ["method"] = false, ["shorthand"] = false, ["computed"] = computed,
                        ["key"] = key, ["value"] = value, ["kind"] = "init", ["__s"] = propertyStart,
                    }, _prev.End));
                }
                else if (!computed && keyToken.Kind == TokenKind.Name)
                {
                    JsonObject value = key.DeepClone().AsObject();
                    if (Is("="))
                    {
                        // Shorthand with a default: only valid as a pattern (arrow parameters).
                        Advance();
                        var right = ParseAssign();
                        value = Done(new JsonObject { ["type"] = "AssignmentPattern", ["left"] = value, ["right"] = right, ["__s"] = keyToken.Start }, _prev.End);
                    }
                    properties.Add(Done(new JsonObject
                    {
                        ["type"] = "Property", ["method"] = false, ["shorthand"] = true, ["computed"] = false,
                        ["key"] = key, ["value"] = value, ["kind"] = "init", ["__s"] = propertyStart,
                    }, _prev.End));
                }
                else throw Unexpected();
            }
            if (!Is("}")) Expect(",");
        }
        Expect("}");
        return Done(new JsonObject { ["type"] = "ObjectExpression", ["properties"] = properties, ["__s"] = start }, _prev.End);
    }

    private JsonObject ParseTemplate(bool tagged)
    {
        var start = _tok.Start;
        var s = _lexer.Source;
        var quasis = new JsonArray();
        var expressions = new JsonArray();
        var pos = _tok.End;
        while (true)
        {
            var elementStart = pos;
            var cooked = new StringBuilder();
            var valid = true;
            while (true)
            {
                if (pos >= s.Length) throw new JsSyntaxException("Unterminated template", start);
                var c = s[pos];
                if (c == '`' || (c == '$' && pos + 1 < s.Length && s[pos + 1] == '{')) break;
                if (c == '\\')
                {
                    _lexer.Pos = pos + 1;
                    if (!_lexer.ReadEscape(cooked, inTemplate: true))
                    {
                        if (!tagged) throw new JsSyntaxException("Bad escape sequence in untagged template literal", pos);
                        valid = false;
                    }
                    pos = _lexer.Pos;
                    continue;
                }
                if (c == '\r')
                {
                    cooked.Append('\n');
                    pos += pos + 1 < s.Length && s[pos + 1] == '\n' ? 2 : 1;
                    continue;
                }
                cooked.Append(c);
                pos++;
            }
            var raw = s[elementStart..pos].Replace("\r\n", "\n").Replace('\r', '\n');
            var tail = s[pos] == '`';
            quasis.Add(Finish(new JsonObject
            {
                ["type"] = "TemplateElement",
                ["value"] = new JsonObject { ["raw"] = raw, ["cooked"] = valid ? cooked.ToString() : null },
                ["tail"] = tail,
            }, elementStart, pos));
            if (tail)
            {
                _lexer.Pos = pos + 1;
                break;
            }
            _lexer.Pos = pos + 2;
            _prev = new Token(TokenKind.Punct, "${", pos, pos + 2);
            _tok = _lexer.Next(true);
            expressions.Add(ParseExpression());
            if (!Is("}")) throw Unexpected();
            pos = _tok.End;
        }
        var end = _lexer.Pos;
        _prev = new Token(TokenKind.Template, "`", end - 1, end);
        _tok = _lexer.Next(false);
        return Finish(new JsonObject { ["type"] = "TemplateLiteral", ["expressions"] = expressions, ["quasis"] = quasis }, start, end);
    }
}
