using System.Globalization;

namespace AgentMark.Normalization.Json;

/// <summary>
/// JavaScript's <c>JSON.parse</c> over a .NET string, producing values of the model in JsDom.cs.
/// </summary>
/// <remarks>
/// Why not System.Text.Json: the rules of ingestion §2 are phrased as "if it parses as JSON",
/// and the reference's answers differ from System.Text.Json's on purpose-irrelevant details that still
/// change stored values: every number is a double (<c>1.0</c> re-serializes as <c>1</c>), duplicate keys
/// keep the last value in the first position, lone surrogate escapes are accepted, and nesting is not
/// limited to 64 levels. Parsing the UTF-16 string directly also avoids a UTF-8 transcode per attribute.
/// </remarks>
internal ref struct JsJsonParser
{
    /// <summary>Deep enough for any real payload; deeper input is reported as unparseable instead of
    /// risking a stack overflow (JavaScript would throw RangeError at some similar depth).</summary>
    private const int MaxDepth = 512;

    private readonly ReadOnlySpan<char> _text;
    private int _pos;
    private int _depth;

    private JsJsonParser(ReadOnlySpan<char> text)
    {
        _text = text;
        _pos = 0;
        _depth = 0;
    }

    /// <summary>True when <paramref name="text"/> is one complete JSON text; the JSON literal <c>null</c>
    /// gives <see cref="JsNull.Value"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out object? value)
    {
        var parser = new JsJsonParser(text);
        parser.SkipWhitespace();
        if (!parser.TryParseValue(out value)) return false;
        parser.SkipWhitespace();
        if (parser._pos != text.Length)
        {
            value = null;
            return false;
        }
        return true;
    }

    /// <summary>Cheap pre-check used before paying for a full parse: JSON text must start with one of these.</summary>
    public static bool CanStartJson(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r') continue;
            return c is '{' or '[' or '"' or '-' or 't' or 'f' or 'n' or (>= '0' and <= '9');
        }
        return false;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\n' or '\r') _pos++;
            else break;
        }
    }

    private bool TryParseValue(out object? value)
    {
        value = null;
        if (_pos >= _text.Length) return false;
        var c = _text[_pos];
        switch (c)
        {
            case '{': return TryParseObject(out value);
            case '[': return TryParseArray(out value);
            case '"':
                if (!TryParseString(out var s)) return false;
                value = s;
                return true;
            case 't':
                if (!TryLiteral("true")) return false;
                value = JsBoxes.True;
                return true;
            case 'f':
                if (!TryLiteral("false")) return false;
                value = JsBoxes.False;
                return true;
            case 'n':
                if (!TryLiteral("null")) return false;
                value = JsNull.Value;
                return true;
            default:
                if (c == '-' || c is >= '0' and <= '9')
                {
                    if (!TryParseNumber(out var d)) return false;
                    value = d;
                    return true;
                }
                return false;
        }
    }

    private bool TryLiteral(string literal)
    {
        if (!_text[_pos..].StartsWith(literal, StringComparison.Ordinal)) return false;
        _pos += literal.Length;
        return true;
    }

    private bool TryParseObject(out object? value)
    {
        value = null;
        if (++_depth > MaxDepth) return false;
        _pos++; // '{'
        var obj = new JsObject();
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            _depth--;
            value = obj;
            return true;
        }
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != '"') return false;
            if (!TryParseString(out var key)) return false;
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':') return false;
            _pos++;
            SkipWhitespace();
            if (!TryParseValue(out var member)) return false;
            // JSON.parse: a repeated key overwrites the earlier value and keeps its position.
            obj.Set(key, member);
            SkipWhitespace();
            if (_pos >= _text.Length) return false;
            var c = _text[_pos++];
            if (c == ',') continue;
            if (c == '}') break;
            return false;
        }
        _depth--;
        value = obj;
        return true;
    }

    private bool TryParseArray(out object? value)
    {
        value = null;
        if (++_depth > MaxDepth) return false;
        _pos++; // '['
        var array = new JsArray();
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            _depth--;
            value = array;
            return true;
        }
        while (true)
        {
            SkipWhitespace();
            if (!TryParseValue(out var element)) return false;
            array.Add(element);
            SkipWhitespace();
            if (_pos >= _text.Length) return false;
            var c = _text[_pos++];
            if (c == ',') continue;
            if (c == ']') break;
            return false;
        }
        _depth--;
        value = array;
        return true;
    }

    private bool TryParseString(out string result)
    {
        if (!TryReadString(_text, ref _pos, out var value))
        {
            result = "";
            return false;
        }
        result = JsStrings.Common(value) ?? new string(value);
        return true;
    }

    /// <summary>Per-thread buffer for unescaped string contents.</summary>
    [ThreadStatic] private static char[]? t_scratch;

    /// <summary>
    /// The string literal whose opening quote is at <paramref name="pos"/>, unescaped, with
    /// <paramref name="pos"/> moved past its closing quote. The value is a slice of
    /// <paramref name="text"/> when there are no escapes, else of a per-thread buffer that the next call
    /// overwrites: use it before reading another string.
    /// </summary>
    internal static bool TryReadString(ReadOnlySpan<char> text, scoped ref int pos, out ReadOnlySpan<char> value)
    {
        value = default;
        var start = pos + 1; // after the opening quote
        var rest = text[start..];
        var special = IndexOfSpecial(rest);
        if (special < 0 || rest[special] < 0x20) return false;
        if (rest[special] == '"')
        {
            // Fast path: no escapes.
            value = rest[..special];
            pos = start + special + 1;
            return true;
        }

        var scratch = t_scratch ??= new char[256];
        var length = 0;
        var at = start;
        while (true)
        {
            if (length + special + 1 > scratch.Length)
            {
                Array.Resize(ref scratch, Math.Max(scratch.Length * 2, length + special + 1));
                t_scratch = scratch;
            }
            rest[..special].CopyTo(scratch.AsSpan(length));
            length += special;
            var c = rest[special];
            if (c == '"')
            {
                pos = at + special + 1;
                value = scratch.AsSpan(0, length);
                // A huge string should not pin its buffer to the thread; the span keeps it alive for now.
                if (scratch.Length > 64 * 1024) t_scratch = null;
                return true;
            }
            if (c < 0x20) return false;
            // A backslash escape.
            if (special + 1 >= rest.Length) return false;
            var e = rest[special + 1];
            var consumed = 2;
            char decoded;
            switch (e)
            {
                case '"': decoded = '"'; break;
                case '\\': decoded = '\\'; break;
                case '/': decoded = '/'; break;
                case 'b': decoded = '\b'; break;
                case 'f': decoded = '\f'; break;
                case 'n': decoded = '\n'; break;
                case 'r': decoded = '\r'; break;
                case 't': decoded = '\t'; break;
                case 'u':
                    if (special + 6 > rest.Length) return false;
                    if (!ushort.TryParse(rest.Slice(special + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        return false;
                    // Lone surrogates are kept, as JavaScript strings allow them.
                    decoded = (char)code;
                    consumed = 6;
                    break;
                default:
                    return false;
            }
            scratch[length++] = decoded;
            at += special + consumed;
            rest = text[at..];
            special = IndexOfSpecial(rest);
            if (special < 0) return false;
        }
    }

    /// <summary>
    /// What ends a run of plain string characters: the closing quote, an escape, or an (invalid) raw
    /// control character; -1 when none. Two plain vectorized searches rather than one over a
    /// <c>SearchValues</c>: those are precompiled in the framework, while a <c>SearchValues</c> search runs
    /// unoptimized until the JIT has recompiled it (see <see cref="JsJsonWriter.WriteString(JsonTextBuilder, ReadOnlySpan{char})"/>).
    /// </summary>
    private static int IndexOfSpecial(ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOfAny('"', '\\');
        var control = (end < 0 ? rest : rest[..end]).IndexOfAnyInRange('\0', '\u001F');
        return control >= 0 ? control : end;
    }

    /// <summary>Whitespace as JSON.parse skips it.</summary>
    internal static int SkipWhitespace(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r') pos++;
        return pos;
    }

    private bool TryParseNumber(out double value)
    {
        value = 0;
        var start = _pos;
        if (_text[_pos] == '-') _pos++;
        if (_pos >= _text.Length) return false;
        if (_text[_pos] == '0')
        {
            _pos++;
        }
        else if (_text[_pos] is >= '1' and <= '9')
        {
            while (_pos < _text.Length && _text[_pos] is >= '0' and <= '9') _pos++;
        }
        else
        {
            return false;
        }
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            var digitsStart = _pos;
            while (_pos < _text.Length && _text[_pos] is >= '0' and <= '9') _pos++;
            if (_pos == digitsStart) return false;
        }
        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            _pos++;
            if (_pos < _text.Length && _text[_pos] is '+' or '-') _pos++;
            var digitsStart = _pos;
            while (_pos < _text.Length && _text[_pos] is >= '0' and <= '9') _pos++;
            if (_pos == digitsStart) return false;
        }
        // .NET's parser rounds correctly (and overflows to ±Infinity) exactly like JavaScript's.
        value = double.Parse(_text[start.._pos], NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }
}
