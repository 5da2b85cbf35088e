using System.Globalization;
using System.Net;
using System.Text;
using AgentMark.Templates.Estree;

namespace AgentMark.Templates.Syntax;

/// <summary>One scanned JSX tag (<c>&lt;A b="c"&gt;</c>, <c>&lt;/A&gt;</c>, <c>&lt;A/&gt;</c>, <c>&lt;&gt;</c>).</summary>
internal sealed class JsxTag
{
    public string? Name { get; set; }
    public bool Close { get; set; }
    public bool SelfClosing { get; set; }
    public List<MdxAttribute> Attributes { get; } = [];
    public int StartIndex { get; set; }
    public int EndIndex { get; set; }
    public SourceSpan Span { get; set; }
    /// <summary>Position of the closing slash, for the "no open tag" error.</summary>
    public SourceSpan? ClosingSlash { get; set; }
}

/// <summary>
/// The JSX tag grammar of micromark-extension-mdx-jsx (<c>factory-tag.js</c>): returns null when the
/// <c>&lt;</c> does not start a tag (followed by whitespace), and throws the reference's
/// "Unexpected character … expected …" errors for anything else that is malformed.
/// </summary>
internal static class JsxTagScanner
{
    public static JsxTag? Scan(SegmentedText text, int start, bool allowLazy)
    {
        var scanner = new Scanner(text, start, allowLazy);
        return scanner.Run();
    }

    private sealed class Scanner(SegmentedText text, int start, bool allowLazy)
    {
        private int _i = start;
        private readonly JsxTag _tag = new() { StartIndex = start };

        private int Code => text.At(_i);

        public JsxTag? Run()
        {
            _i++; // '<'
            var c = Code;
            if (c is ' ' or '\t' or '\n' or '\r' || c < 0 && false) return null;
            if (c == '\n' || (c < 0 && text.StoppedAtLazyLine)) return null;
            SkipEsWhitespace();
            c = Code;
            if (c == '/')
            {
                var slashStart = _i;
                _i++;
                _tag.Close = true;
                _tag.ClosingSlash = text.Source.Span(text.SourceOffset(slashStart), text.SourceOffset(slashStart) + 1);
                SkipEsWhitespace();
                c = Code;
                if (c == '>') return End();
                if (!IsIdStart(c))
                    Crash(c, "before name", "a character that can start a name, such as a letter, `$`, or `_`" + (c is '*' or '/' ? " (note: JS comments in JSX tags are not supported in MDX)" : ""));
                ReadName();
                return AfterName();
            }
            if (c == '>') return End();
            if (!IsIdStart(c))
                Crash(c, "before name", "a character that can start a name, such as a letter, `$`, or `_`" + (c == '!' ? " (note: to create a comment in MDX, use `{/* text */}`)" : ""));
            ReadName();
            return AfterName();
        }

        private void ReadName()
        {
            var name = ReadIdentifier("in name", linkNote: true, allowColonOrDot: true);
            SkipEsWhitespace();
            var c = Code;
            if (c == '.')
            {
                while (Code == '.')
                {
                    _i++;
                    SkipEsWhitespace();
                    if (!IsIdStart(Code))
                        Crash(Code, "before member name", "a character that can start an attribute name, such as a letter, `$`, or `_`; whitespace before attributes; or the end of the tag");
                    name += "." + ReadIdentifier("in member name", linkNote: true, allowColonOrDot: true, allowColon: false);
                    SkipEsWhitespace();
                }
                if (!(Code is '/' or '>' or '{' || IsIdStart(Code)))
                    Crash(Code, "after member name", "a character that can start an attribute name, such as a letter, `$`, or `_`; whitespace before attributes; or the end of the tag");
            }
            else if (c == ':')
            {
                _i++;
                SkipEsWhitespace();
                var local = Code;
                if (!IsIdStart(local))
                    Crash(local, "before local name", "a character that can start a name, such as a letter, `$`, or `_`" + (local == '+' || (local > '.' && local < ':') ? " (note: to create a link in MDX, use `[text](url)`)" : ""));
                name += ":" + ReadIdentifier("in local name", linkNote: false, allowColonOrDot: false);
                SkipEsWhitespace();
                if (!(Code is '/' or '>' or '{' || IsIdStart(Code)))
                    Crash(Code, "after local name", "a character that can start an attribute name, such as a letter, `$`, or `_`; whitespace before attributes; or the end of the tag");
            }
            else if (!(c is '/' or '>' or '{' || IsIdStart(c)))
                Crash(c, "after name", "a character that can start an attribute name, such as a letter, `$`, or `_`; whitespace before attributes; or the end of the tag");
            _tag.Name = name;
        }

        private string ReadIdentifier(string at, bool linkNote, bool allowColonOrDot, bool allowColon = true)
        {
            var sb = new StringBuilder();
            AppendCodePoint(sb);
            while (true)
            {
                var c = Code;
                if (IsIdCont(c)) { AppendCodePoint(sb); continue; }
                var ends = c is '/' or '>' or '{' or ' ' or '\t' or '\n' or '\r' || IsUnicodeWhitespace(c)
                    || (allowColonOrDot && c == '.') || (allowColonOrDot && allowColon && c == ':');
                if (ends) return sb.ToString();
                Crash(c, at, "a name character such as letters, digits, `$`, or `_`; whitespace before attributes; or the end of the tag" + (linkNote && c == '@' ? " (note: to create a link in MDX, use `[text](url)`)" : ""));
            }
        }

        private void AppendCodePoint(StringBuilder sb)
        {
            var c = Code;
            sb.Append((char)c);
            _i++;
            if (char.IsHighSurrogate((char)c) && text.At(_i) is var low and >= 0 && char.IsLowSurrogate((char)low))
            {
                sb.Append((char)low);
                _i++;
            }
        }

        private JsxTag AfterName()
        {
            while (true)
            {
                var c = Code;
                if (c == '/')
                {
                    if (_tag.Close)
                        throw new TemplateSyntaxException("Unexpected self-closing slash `/` in closing tag, expected the end of the tag", Here());
                    _i++;
                    _tag.SelfClosing = true;
                    SkipEsWhitespace();
                    if (Code != '>')
                        Crash(Code, "after self-closing slash", "`>` to end the tag" + (Code is '*' or '/' ? " (note: JS comments in JSX tags are not supported in MDX)" : ""));
                    return End();
                }
                if (c == '>') return End();
                if (c == '{')
                {
                    if (_tag.Close) throw new TemplateSyntaxException("Unexpected attribute in closing tag, expected the end of the tag", Here());
                    var attrStart = _i;
                    var expression = ExpressionScanner.Scan(text, _i, allowLazy, spread: true);
                    _i = expression.End;
                    _tag.Attributes.Add(new MdxAttribute
                    {
                        Type = MdxAttribute.ExpressionAttributeType,
                        Value = expression.Value,
                        Estree = expression.Estree,
                        EstreePoints = text.Source.Point,
                        Position = Span(attrStart, _i),
                    });
                    SkipEsWhitespace();
                    continue;
                }
                if (IsIdStart(c))
                {
                    if (_tag.Close) throw new TemplateSyntaxException("Unexpected attribute in closing tag, expected the end of the tag", Here());
                    ReadAttribute();
                    continue;
                }
                Crash(c, "before attribute name", "a character that can start an attribute name, such as a letter, `$`, or `_`; whitespace before attributes; or the end of the tag");
            }
        }

        private void ReadAttribute()
        {
            var attrStart = _i;
            var sb = new StringBuilder();
            AppendCodePoint(sb);
            while (IsIdCont(Code)) AppendCodePoint(sb);
            var c = Code;
            if (!(c is '/' or ':' or '=' or '>' or '{' or ' ' or '\t' or '\n' or '\r' || IsUnicodeWhitespace(c)))
                Crash(c, "in attribute name", "an attribute name character such as letters, digits, `$`, or `_`; `=` to initialize a value; whitespace before attributes; or the end of the tag");
            var nameEnd = _i;
            SkipEsWhitespace();
            var attribute = new MdxAttribute { Type = MdxAttribute.AttributeType };
            if (Code == ':')
            {
                _i++;
                SkipEsWhitespace();
                if (!IsIdStart(Code))
                    Crash(Code, "before local attribute name", "a character that can start an attribute name, such as a letter, `$`, or `_`; `=` to initialize a value; or the end of the tag");
                sb.Append(':');
                AppendCodePoint(sb);
                while (IsIdCont(Code)) AppendCodePoint(sb);
                c = Code;
                if (!(c is '/' or '=' or '>' or '{' or ' ' or '\t' or '\n' or '\r' || IsUnicodeWhitespace(c)))
                    Crash(c, "in local attribute name", "an attribute name character such as letters, digits, `$`, or `_`; `=` to initialize a value; whitespace before attributes; or the end of the tag");
                nameEnd = _i;
                SkipEsWhitespace();
                if (!(Code is '=' or '/' or '>' or '{' || IsIdStart(Code)))
                    Crash(Code, "after local attribute name", "a character that can start an attribute name, such as a letter, `$`, or `_`; `=` to initialize a value; or the end of the tag");
            }
            attribute.Name = sb.ToString();
            attribute.Position = Span(attrStart, nameEnd);
            _tag.Attributes.Add(attribute);
            if (Code != '=')
            {
                if (!(Code is '/' or '>' or '{' || IsIdStart(Code)))
                    Crash(Code, "after attribute name", "a character that can start an attribute name, such as a letter, `$`, or `_`; `=` to initialize a value; or the end of the tag");
                return;
            }
            _i++;
            SkipEsWhitespace();
            c = Code;
            if (c is '"' or '\'')
            {
                var marker = c;
                _i++;
                var value = new StringBuilder();
                while (true)
                {
                    var v = Code;
                    if (v < 0)
                    {
                        if (!allowLazy && text.StoppedAtLazyLine) throw ExpressionScanner.LazyLine(text, _i);
                        Crash(v, "in attribute value", $"a corresponding closing quote `{(char)marker}`");
                    }
                    if (v == marker) { _i++; break; }
                    if (v == '\n' && text.IsSeparator(_i))
                    {
                        // Line endings and the whitespace after them are not part of the value (reference behaviour).
                        _i++;
                        while (Code is ' ' or '\t' || IsUnicodeWhitespace(Code)) _i++;
                        continue;
                    }
                    value.Append((char)v);
                    _i++;
                }
                attribute.Value = DecodeEntities(value.ToString());
                attribute.Position = Span(attrStart, _i);
                SkipEsWhitespace();
                return;
            }
            if (c == '{')
            {
                var expression = ExpressionScanner.Scan(text, _i, allowLazy);
                _i = expression.End;
                attribute.ExpressionValue = new MdxAttributeValueExpression(expression.Value, expression.Estree, text.Source.Point);
                attribute.Position = Span(attrStart, _i);
                SkipEsWhitespace();
                return;
            }
            Crash(c, "before attribute value", "a character that can start an attribute value, such as `\"`, `'`, or `{`" + (c == '<' ? " (note: to use an element or fragment as a prop value in MDX, use `{<element />}`)" : ""));
        }

        private JsxTag End()
        {
            _i++; // '>'
            _tag.EndIndex = _i;
            _tag.Span = Span(_tag.StartIndex, _i);
            return _tag;
        }

        private SourceSpan Span(int startIndex, int endIndex) =>
            text.Source.Span(text.SourceOffset(startIndex), text.SourceEndOffset(endIndex));

        private SourceSpan Here() => ExpressionScanner.Point(text, _i);

        private void SkipEsWhitespace()
        {
            while (true)
            {
                var c = Code;
                if (c == '\n' && text.IsSeparator(_i)) { _i++; continue; }
                if (c is ' ' or '\t' || IsUnicodeWhitespace(c)) { _i++; continue; }
                if (c < 0 && !allowLazy && text.StoppedAtLazyLine) throw ExpressionScanner.LazyLine(text, _i);
                return;
            }
        }

        private void Crash(int c, string at, string expect)
        {
            if (c < 0 && !allowLazy && text.StoppedAtLazyLine) throw ExpressionScanner.LazyLine(text, _i);
            var what = c < 0 ? "end of file" : $"character `{(c == '`' ? "` ` `" : char.ConvertFromUtf32(CodePointAt()))}` (U+{CodePointAt():X4})";
            throw new TemplateSyntaxException($"Unexpected {what} {at}, expected {expect}", Here());
        }

        private int CodePointAt()
        {
            var c = Code;
            if (char.IsHighSurrogate((char)c) && text.At(_i + 1) is var low and >= 0 && char.IsLowSurrogate((char)low))
                return char.ConvertToUtf32((char)c, (char)low);
            return c;
        }

        private bool IsIdStart(int c) => c >= 0 && (JsLexer.IsIdStart(c) || (char.IsHighSurrogate((char)c) && char.IsLetter(char.ConvertFromUtf32(CodePointAt()), 0)));
        private bool IsIdCont(int c) => c >= 0 && (c == '-' || JsLexer.IsIdPart(c) || (char.IsHighSurrogate((char)c) && char.IsLetterOrDigit(char.ConvertFromUtf32(CodePointAt()), 0)));
    }

    private static bool IsUnicodeWhitespace(int c) =>
        c > 0x7f && c <= 0xFFFF && (char.IsWhiteSpace((char)c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator);

    /// <summary>Character references in attribute values (<c>parse-entities</c>).</summary>
    internal static string DecodeEntities(string value) => value.Contains('&') ? Entities.Decode(value) : value;
}
