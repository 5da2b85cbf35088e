using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Estree;

/// <summary>JSX elements and fragments, in the shapes acorn-jsx produces.</summary>
internal sealed partial class JsExpressionParser
{
    private JsonObject ParseJsxElementAt(int start)
    {
        Enter();
        try
        {
            // `_tok` is `<`; the lexer sits right after it.
            var s = _lexer.Source;
            var pos = SkipJsxSpace(_tok.End);
            if (pos < s.Length && s[pos] == '>')
            {
                var openingFragment = Finish(new JsonObject { ["type"] = "JSXOpeningFragment", ["attributes"] = new JsonArray(), ["selfClosing"] = false }, start, pos + 1);
                var (children, closeStart) = ParseJsxChildren(pos + 1);
                var afterSlash = SkipJsxSpace(closeStart + 2);
                if (afterSlash >= s.Length || s[afterSlash] != '>')
                    throw new JsSyntaxException("Expected corresponding JSX closing tag for <>", closeStart);
                var closingFragment = Finish(new JsonObject { ["type"] = "JSXClosingFragment" }, closeStart, afterSlash + 1);
                return FinishJsx(Finish(new JsonObject
                {
                    ["type"] = "JSXFragment", ["openingFragment"] = openingFragment, ["closingFragment"] = closingFragment, ["children"] = children,
                }, start, afterSlash + 1), afterSlash + 1);
            }

            var (name, nameText, afterName) = ParseJsxName(pos);
            pos = afterName;
            var attributes = new JsonArray();
            while (true)
            {
                pos = SkipJsxSpace(pos);
                if (pos >= s.Length) throw new JsSyntaxException("Unterminated JSX contents", pos);
                var c = s[pos];
                if (c == '/' || c == '>') break;
                if (c == '{')
                {
                    // {...spread}
                    var attrStart = pos;
                    pos = SkipJsxSpace(pos + 1);
                    if (string.CompareOrdinal(s, pos, "...", 0, 3) != 0) throw new JsSyntaxException("Unexpected token", pos);
                    var (argument, after) = ParseEmbedded(pos + 3, "}");
                    attributes.Add(Finish(new JsonObject { ["type"] = "JSXSpreadAttribute", ["argument"] = argument }, attrStart, after));
                    pos = after;
                    continue;
                }
                var attributeStart = pos;
                var (attrName, _, afterAttrName) = ParseJsxName(pos, allowMember: false);
                pos = SkipJsxSpace(afterAttrName);
                JsonNode? value = null;
                var attributeEnd = afterAttrName;
                if (pos < s.Length && s[pos] == '=')
                {
                    pos = SkipJsxSpace(pos + 1);
                    if (pos >= s.Length) throw new JsSyntaxException("Unexpected token", pos);
                    var q = s[pos];
                    if (q is '"' or '\'')
                    {
                        var close = s.IndexOf(q, pos + 1);
                        if (close < 0) throw new JsSyntaxException("Unterminated string constant", pos);
                        var raw = s[pos..(close + 1)];
                        value = Finish(new JsonObject { ["type"] = "Literal", ["value"] = WebUtility.HtmlDecode(s[(pos + 1)..close]), ["raw"] = raw }, pos, close + 1);
                        pos = close + 1;
                    }
                    else if (q == '{')
                    {
                        var (container, after) = ParseJsxExpressionContainer(pos, allowEmpty: false);
                        value = container;
                        pos = after;
                    }
                    else if (q == '<')
                    {
                        _lexer.Pos = pos + 1;
                        _tok = new Token(TokenKind.Punct, "<", pos, pos + 1);
                        var element = ParseJsxElementAt(pos);
                        value = element;
                        pos = LastJsxEnd;
                    }
                    else throw new JsSyntaxException("JSX value should be either an expression or a quoted JSX text", pos);
                    attributeEnd = pos;
                }
                attributes.Add(Finish(new JsonObject { ["type"] = "JSXAttribute", ["name"] = attrName, ["value"] = value }, attributeStart, attributeEnd));
            }

            var selfClosing = s[pos] == '/';
            if (selfClosing)
            {
                pos = SkipJsxSpace(pos + 1);
                if (pos >= s.Length || s[pos] != '>') throw new JsSyntaxException("Unexpected token", pos);
            }
            var openingEnd = pos + 1;
            var opening = Finish(new JsonObject { ["type"] = "JSXOpeningElement", ["attributes"] = attributes, ["name"] = name, ["selfClosing"] = selfClosing }, start, openingEnd);
            if (selfClosing)
            {
                return FinishJsx(Finish(new JsonObject { ["type"] = "JSXElement", ["openingElement"] = opening, ["closingElement"] = null, ["children"] = new JsonArray() }, start, openingEnd), openingEnd);
            }
            var (elementChildren, closingStart) = ParseJsxChildren(openingEnd);
            var closingNamePos = SkipJsxSpace(closingStart + 2);
            if (closingNamePos < s.Length && s[closingNamePos] == '>')
                throw new JsSyntaxException($"Expected corresponding JSX closing tag for <{nameText}>", closingStart);
            var (closingName, closingText, afterClosingName) = ParseJsxName(closingNamePos);
            var closeEnd = SkipJsxSpace(afterClosingName);
            if (closeEnd >= s.Length || s[closeEnd] != '>') throw new JsSyntaxException("Unexpected token", closeEnd);
            if (closingText != nameText) throw new JsSyntaxException($"Expected corresponding JSX closing tag for <{nameText}>", closingStart);
            var closing = Finish(new JsonObject { ["type"] = "JSXClosingElement", ["name"] = closingName }, closingStart, closeEnd + 1);
            return FinishJsx(Finish(new JsonObject { ["type"] = "JSXElement", ["openingElement"] = opening, ["closingElement"] = closing, ["children"] = elementChildren }, start, closeEnd + 1), closeEnd + 1);
        }
        finally { _depth--; }
    }

    private int LastJsxEnd;

    /// <summary>Records where a JSX element ended; JSX children and attributes continue scanning from there.</summary>
    private JsonObject FinishJsx(JsonObject element, int end)
    {
        LastJsxEnd = end;
        return element;
    }

    private int SkipJsxSpace(int pos)
    {
        _lexer.Pos = pos;
        _lexer.SkipTrivia();
        return _lexer.Pos;
    }

    private (JsonObject Name, string Text, int After) ParseJsxName(int pos, bool allowMember = true)
    {
        var s = _lexer.Source;
        var (first, firstEnd) = ReadJsxIdentifier(pos);
        JsonObject name = Finish(new JsonObject { ["type"] = "JSXIdentifier", ["name"] = first }, pos, firstEnd);
        var text = first;
        var p = SkipJsxSpace(firstEnd);
        if (p < s.Length && s[p] == ':')
        {
            var localStart = SkipJsxSpace(p + 1);
            var (local, localEnd) = ReadJsxIdentifier(localStart);
            var localNode = Finish(new JsonObject { ["type"] = "JSXIdentifier", ["name"] = local }, localStart, localEnd);
            name = Finish(new JsonObject { ["type"] = "JSXNamespacedName", ["namespace"] = name, ["name"] = localNode }, pos, localEnd);
            return (name, text + ":" + local, localEnd);
        }
        var end = firstEnd;
        while (allowMember && p < s.Length && s[p] == '.')
        {
            var memberStart = SkipJsxSpace(p + 1);
            var (member, memberEnd) = ReadJsxIdentifier(memberStart);
            var property = Finish(new JsonObject { ["type"] = "JSXIdentifier", ["name"] = member }, memberStart, memberEnd);
            name = Finish(new JsonObject { ["type"] = "JSXMemberExpression", ["object"] = name, ["property"] = property }, pos, memberEnd);
            text += "." + member;
            end = memberEnd;
            p = SkipJsxSpace(memberEnd);
        }
        return (name, text, end);
    }

    private (string Name, int End) ReadJsxIdentifier(int pos)
    {
        var s = _lexer.Source;
        if (pos >= s.Length || !JsLexer.IsIdStart(s[pos])) throw new JsSyntaxException("Unexpected token", pos);
        var end = pos + 1;
        while (end < s.Length && (JsLexer.IsIdPart(s[end]) || s[end] == '-')) end++;
        return (s[pos..end], end);
    }

    /// <summary>Children up to the next closing tag; returns them and the offset of that <c>&lt;/</c>.</summary>
    private (JsonArray Children, int CloseStart) ParseJsxChildren(int pos)
    {
        var s = _lexer.Source;
        var children = new JsonArray();
        while (true)
        {
            var textStart = pos;
            while (pos < s.Length && s[pos] is not ('<' or '{'))
            {
                if (s[pos] == '>') throw new JsSyntaxException("Unexpected token `>`. Did you mean `&gt;` or `{\">\"}`?", pos);
                if (s[pos] == '}') throw new JsSyntaxException("Unexpected token `}`. Did you mean `&rbrace;` or `{\"}\"}`?", pos);
                pos++;
            }
            if (pos > textStart)
            {
                var raw = s[textStart..pos];
                children.Add(Finish(new JsonObject { ["type"] = "JSXText", ["value"] = WebUtility.HtmlDecode(raw), ["raw"] = raw }, textStart, pos));
            }
            if (pos >= s.Length) throw new JsSyntaxException("Unterminated JSX contents", pos);
            if (s[pos] == '{')
            {
                var (container, after) = ParseJsxExpressionContainer(pos, allowEmpty: true);
                children.Add(container);
                pos = after;
                continue;
            }
            var afterLt = SkipJsxSpace(pos + 1);
            if (afterLt < s.Length && s[afterLt] == '/') return (children, pos);
            _lexer.Pos = pos + 1;
            _tok = new Token(TokenKind.Punct, "<", pos, pos + 1);
            children.Add(ParseJsxElementAt(pos));
            pos = LastJsxEnd;
        }
    }

    private (JsonObject Container, int After) ParseJsxExpressionContainer(int pos, bool allowEmpty)
    {
        var s = _lexer.Source;
        var inner = SkipJsxSpace(pos + 1);
        if (inner < s.Length && s[inner] == '}')
        {
            if (!allowEmpty) throw new JsSyntaxException("JSX attributes must only be assigned a non-empty expression", inner);
            var empty = Finish(new JsonObject { ["type"] = "JSXEmptyExpression" }, pos + 1, inner);
            return (Finish(new JsonObject { ["type"] = "JSXExpressionContainer", ["expression"] = empty }, pos, inner + 1), inner + 1);
        }
        var (expression, after) = ParseEmbedded(pos + 1, "}");
        return (Finish(new JsonObject { ["type"] = "JSXExpressionContainer", ["expression"] = expression }, pos, after), after);
    }

    /// <summary>Parses a JS expression starting at <paramref name="pos"/> that must be followed by <paramref name="close"/>.</summary>
    private (JsonObject Expression, int After) ParseEmbedded(int pos, string close)
    {
        _lexer.Pos = pos;
        _prev = new Token(TokenKind.Punct, "{", pos - 1, pos);
        _tok = _lexer.Next(true);
        var expression = ParseExpression();
        if (!Is(close)) throw Unexpected();
        return (expression, _tok.End);
    }
}
