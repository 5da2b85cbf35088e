using System.Globalization;
using System.Text;

namespace AgentMark.Templates.Estree;

internal enum TokenKind { Eof, Name, Keyword, Number, BigInt, String, Template, Regex, Punct, PrivateName }

internal readonly record struct Token(TokenKind Kind, string Text, int Start, int End, object? Value = null, bool NewlineBefore = false);

/// <summary>A syntax error in JavaScript source; <see cref="Offset"/> is relative to the parsed text.</summary>
internal sealed class JsSyntaxException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}

/// <summary>Valid JavaScript that this parser does not model (the caller falls back to Acornima).</summary>
internal sealed class JsUnsupportedException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}

/// <summary>
/// ECMAScript tokenizer for expressions (acorn-compatible where templates need it). The parser
/// drives it and tells it whether a <c>/</c> may start a regular expression.
/// </summary>
internal sealed class JsLexer(string source)
{
    private static readonly HashSet<string> Keywords =
    [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "export", "extends", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "return",
        "super", "switch", "this", "throw", "try", "typeof", "var", "void", "while", "with", "null", "true", "false",
    ];

    // Longest first so the greedy match picks `>>>=` over `>>`.
    private static readonly string[] Punctuators =
    [
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**",
        "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":", "=", ".", "@", "#",
    ];

    public string Source { get; } = source;
    public int Pos;
    public List<(bool Block, string Value, int Start, int End)> Comments { get; } = [];

    public static bool IsIdStart(int c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '$' or '_'
        || (c > 0x7f && (char.IsLetter((char)Math.Min(c, 0xFFFF)) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LetterNumber));

    public static bool IsIdPart(int c) =>
        IsIdStart(c) || c is >= '0' and <= '9' || c is 0x200C or 0x200D
        || (c > 0x7f && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation);

    public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    private static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\v' or '\f' or '\u00a0' or '\ufeff' || (c > 0x7f && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator);

    /// <summary>Skips whitespace and comments; returns true when a line terminator was crossed.</summary>
    public bool SkipTrivia()
    {
        var newline = false;
        while (Pos < Source.Length)
        {
            var c = Source[Pos];
            if (IsLineTerminator(c)) { newline = true; Pos++; }
            else if (IsWhitespace(c)) Pos++;
            else if (c == '/' && Pos + 1 < Source.Length && Source[Pos + 1] == '/')
            {
                var start = Pos;
                Pos += 2;
                while (Pos < Source.Length && !IsLineTerminator(Source[Pos])) Pos++;
                Comments.Add((false, Source[(start + 2)..Pos], start, Pos));
            }
            else if (c == '/' && Pos + 1 < Source.Length && Source[Pos + 1] == '*')
            {
                var start = Pos;
                var end = Source.IndexOf("*/", Pos + 2, StringComparison.Ordinal);
                if (end < 0) throw new JsSyntaxException("Unterminated comment", start);
                for (var i = Pos; i < end; i++) if (IsLineTerminator(Source[i])) newline = true;
                Pos = end + 2;
                Comments.Add((true, Source[(start + 2)..end], start, Pos));
            }
            else break;
        }
        return newline;
    }

    public Token Next(bool regexAllowed)
    {
        var newline = SkipTrivia();
        if (Pos >= Source.Length) return new Token(TokenKind.Eof, "", Pos, Pos, null, newline);
        var start = Pos;
        var c = Source[Pos];
        if (IsIdStart(c) || c == '\\' || char.IsHighSurrogate(c))
        {
            var name = ReadWord();
            var kind = Keywords.Contains(name) && Source[start] != '\\' ? TokenKind.Keyword : TokenKind.Name;
            return new Token(kind, name, start, Pos, null, newline);
        }
        if (c is >= '0' and <= '9' || (c == '.' && Pos + 1 < Source.Length && char.IsAsciiDigit(Source[Pos + 1])))
            return ReadNumber(newline);
        if (c is '"' or '\'') return ReadString(c, newline);
        if (c == '`') return new Token(TokenKind.Template, "`", start, ++Pos, null, newline);
        if (c == '#' && Pos + 1 < Source.Length && IsIdStart(Source[Pos + 1]))
        {
            Pos++;
            var name = ReadWord();
            return new Token(TokenKind.PrivateName, name, start, Pos, null, newline);
        }
        if (c == '/' && regexAllowed) return ReadRegex(newline);
        foreach (var p in Punctuators)
        {
            if (string.CompareOrdinal(Source, Pos, p, 0, p.Length) != 0) continue;
            // `?.` followed by a digit is `?` then a number (`a?.5:b`).
            if (p == "?." && Pos + 2 < Source.Length && char.IsAsciiDigit(Source[Pos + 2])) continue;
            Pos += p.Length;
            return new Token(TokenKind.Punct, p, start, Pos, null, newline);
        }
        throw new JsSyntaxException($"Unexpected character '{c}'", Pos);
    }

    private string ReadWord()
    {
        var sb = new StringBuilder();
        var first = true;
        while (Pos < Source.Length)
        {
            int cp;
            var c = Source[Pos];
            if (c == '\\')
            {
                if (Pos + 1 >= Source.Length || Source[Pos + 1] != 'u') throw new JsSyntaxException("Expecting Unicode escape sequence \\uXXXX", Pos);
                Pos += 2;
                cp = ReadUnicodeEscapeBody();
                if (first ? !IsIdStart(cp) : !IsIdPart(cp)) throw new JsSyntaxException("Invalid Unicode escape", Pos);
                sb.Append(char.ConvertFromUtf32(cp));
                first = false;
                continue;
            }
            if (char.IsHighSurrogate(c) && Pos + 1 < Source.Length && char.IsLowSurrogate(Source[Pos + 1]))
                cp = char.ConvertToUtf32(c, Source[Pos + 1]);
            else cp = c;
            if (first ? !IsIdStart(cp) : !IsIdPart(cp)) break;
            sb.Append(char.ConvertFromUtf32(cp));
            Pos += cp > 0xFFFF ? 2 : 1;
            first = false;
        }
        if (first) throw new JsSyntaxException("Unexpected character", Pos);
        return sb.ToString();
    }

    private int ReadUnicodeEscapeBody()
    {
        if (Pos < Source.Length && Source[Pos] == '{')
        {
            var close = Source.IndexOf('}', Pos);
            if (close < 0 || !int.TryParse(Source.AsSpan(Pos + 1, close - Pos - 1), NumberStyles.HexNumber, null, out var code) || code > 0x10FFFF)
                throw new JsSyntaxException("Bad character escape sequence", Pos);
            Pos = close + 1;
            return code;
        }
        if (Pos + 4 > Source.Length || !int.TryParse(Source.AsSpan(Pos, 4), NumberStyles.HexNumber, null, out var value))
            throw new JsSyntaxException("Bad character escape sequence", Pos);
        Pos += 4;
        return value;
    }

    private Token ReadNumber(bool newline)
    {
        var start = Pos;
        var s = Source;
        double value;
        if (s[Pos] == '0' && Pos + 1 < s.Length && s[Pos + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            var radix = s[Pos + 1] is 'x' or 'X' ? 16 : s[Pos + 1] is 'o' or 'O' ? 8 : 2;
            Pos += 2;
            var digitsStart = Pos;
            while (Pos < s.Length && (IsRadixDigit(s[Pos], radix) || (s[Pos] == '_' && Pos > digitsStart))) Pos++;
            if (Pos == digitsStart) throw new JsSyntaxException($"Expected number in radix {radix}", start);
            var digits = s[digitsStart..Pos].Replace("_", "");
            value = 0;
            foreach (var d in digits) value = value * radix + Convert.ToInt32(d.ToString(), 16);
        }
        else
        {
            while (Pos < s.Length && (char.IsAsciiDigit(s[Pos]) || s[Pos] == '_')) Pos++;
            if (Pos < s.Length && s[Pos] == '.' ) { Pos++; while (Pos < s.Length && (char.IsAsciiDigit(s[Pos]) || s[Pos] == '_')) Pos++; }
            if (Pos < s.Length && s[Pos] is 'e' or 'E')
            {
                var save = Pos;
                Pos++;
                if (Pos < s.Length && s[Pos] is '+' or '-') Pos++;
                if (Pos >= s.Length || !char.IsAsciiDigit(s[Pos])) { Pos = save; throw new JsSyntaxException("Invalid number", start); }
                while (Pos < s.Length && char.IsAsciiDigit(s[Pos])) Pos++;
            }
            var text = s[start..Pos].Replace("_", "");
            if (text.Length > 1 && text[0] == '0' && char.IsAsciiDigit(text[1]))
            {
                // Legacy octal literals are a syntax error in module code.
                throw new JsSyntaxException("Invalid number", start);
            }
            value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        if (Pos < s.Length && s[Pos] == 'n')
        {
            Pos++;
            if (Pos < s.Length && IsIdStart(s[Pos])) throw new JsSyntaxException("Identifier directly after number", Pos);
            return new Token(TokenKind.BigInt, s[start..Pos], start, Pos, s[start..(Pos - 1)].Replace("_", ""), newline);
        }
        if (Pos < s.Length && (IsIdStart(s[Pos]) || char.IsAsciiDigit(s[Pos]))) throw new JsSyntaxException("Identifier directly after number", Pos);
        return new Token(TokenKind.Number, s[start..Pos], start, Pos, value, newline);
    }

    private static bool IsRadixDigit(char c, int radix) => radix switch
    {
        16 => char.IsAsciiHexDigit(c),
        8 => c is >= '0' and <= '7',
        _ => c is '0' or '1',
    };

    private Token ReadString(char quote, bool newline)
    {
        var start = Pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (Pos >= Source.Length) throw new JsSyntaxException("Unterminated string constant", start);
            var c = Source[Pos];
            if (c == quote) { Pos++; break; }
            if (c is '\n' or '\r') throw new JsSyntaxException("Unterminated string constant", start);
            if (c == '\\') { Pos++; ReadEscape(sb, inTemplate: false); continue; }
            sb.Append(c);
            Pos++;
        }
        return new Token(TokenKind.String, Source[start..Pos], start, Pos, sb.ToString(), newline);
    }

    /// <summary>Reads the escape after a backslash; returns false for an invalid escape in a template (cooked = null).</summary>
    public bool ReadEscape(StringBuilder sb, bool inTemplate)
    {
        if (Pos >= Source.Length) throw new JsSyntaxException("Unterminated string constant", Pos);
        var c = Source[Pos++];
        switch (c)
        {
            case 'n': sb.Append('\n'); return true;
            case 'r': sb.Append('\r'); return true;
            case 't': sb.Append('\t'); return true;
            case 'b': sb.Append('\b'); return true;
            case 'v': sb.Append('\v'); return true;
            case 'f': sb.Append('\f'); return true;
            case '\r': if (Pos < Source.Length && Source[Pos] == '\n') Pos++; return true;
            case '\n' or '\u2028' or '\u2029': return true;
            case 'x':
                if (Pos + 2 > Source.Length || !int.TryParse(Source.AsSpan(Pos, 2), NumberStyles.HexNumber, null, out var hex))
                {
                    if (inTemplate) return false;
                    throw new JsSyntaxException("Bad character escape sequence", Pos);
                }
                Pos += 2;
                sb.Append((char)hex);
                return true;
            case 'u':
                try { sb.Append(char.ConvertFromUtf32(ReadUnicodeEscapeBody())); }
                catch (JsSyntaxException) when (inTemplate) { return false; }
                return true;
            case >= '0' and <= '9':
                if (c == '0' && (Pos >= Source.Length || !char.IsAsciiDigit(Source[Pos]))) { sb.Append('\0'); return true; }
                if (inTemplate) return false;
                throw new JsSyntaxException("Octal literal in strict mode", Pos - 1);
            default: sb.Append(c); return true;
        }
    }

    private Token ReadRegex(bool newline)
    {
        var start = Pos++;
        var inClass = false;
        while (true)
        {
            if (Pos >= Source.Length || IsLineTerminator(Source[Pos])) throw new JsSyntaxException("Unterminated regular expression", start);
            var c = Source[Pos];
            if (c == '\\') { Pos += 2; continue; }
            if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            else if (c == '/' && !inClass) break;
            Pos++;
        }
        var pattern = Source[(start + 1)..Pos];
        Pos++;
        var flagsStart = Pos;
        while (Pos < Source.Length && IsIdPart(Source[Pos])) Pos++;
        var flags = Source[flagsStart..Pos];
        foreach (var f in flags) if ("dgimsuyv".IndexOf(f) < 0) throw new JsSyntaxException("Invalid regular expression flag", flagsStart);
        return new Token(TokenKind.Regex, Source[start..Pos], start, Pos, (pattern, flags), newline);
    }
}
