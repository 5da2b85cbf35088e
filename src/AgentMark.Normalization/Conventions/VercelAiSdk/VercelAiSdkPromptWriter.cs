using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.VercelAiSdk;

/// <summary>
/// The fast path of <see cref="VercelAiSdkPrompt"/>: the prompt shapes the AI SDK sends for plain text
/// conversations, normalized straight from the attribute text to the stored <c>Input</c> JSON without
/// building a value tree (the prompt is the largest attribute of a generation span, and parsing it into
/// objects only to write them back was most of the convention's allocations).
/// </summary>
/// <remarks>
/// Accepted (JSON whitespace allowed anywhere JSON allows it):
/// <list type="bullet">
/// <item><c>[{"role": s, "content": s | [{"type": "text", "text": s}, ...]}, ...]</c> — exactly these keys, in
/// this order, string values: normalization leaves each message as it is (an empty role or text stays
/// <c>""</c>), so the output is the input re-serialized.</item>
/// <item><c>{"prompt": s}</c> and <c>{"system": s, "prompt": s}</c> (either order) → the system and user
/// messages.</item>
/// </list>
/// Anything else — other keys or part types, duplicate keys, non-string values, invalid JSON — returns
/// null and the caller takes the general path, so the result is always the general path's result.
/// Strings are unescaped and re-escaped exactly as <c>JSON.parse</c> + <c>JSON.stringify</c> would.
/// <para>
/// The SDK writes the attribute with <c>JSON.stringify</c>, so a message array is usually already in its
/// normalized form. The text is therefore first only checked (<see cref="IsNormalizedMessages"/>) and the
/// attribute's own string is the column, with nothing written, allocated or copied. Otherwise it is
/// written out, and still replaced by the attribute when the result turns out equal.
/// </para>
/// </remarks>
internal static class VercelAiSdkPromptWriter
{
    /// <summary>The <c>Input</c> column for the span's prompt, or null when the fast path does not apply.</summary>
    public static string? TryWrite(AttributeView a)
    {
        if ((a["ai.prompt.messages"] ?? a["ai.prompt"]) is not string text) return null;
        if (IsNormalizedMessages(text)) return text;

        var sb = JsJson.RentBuilder();
        var writer = new Reader(text, sb);
        if (!writer.TryWritePrompt())
        {
            JsJson.ReleaseBuilder(sb);
            return null;
        }
        // Whitespace or escapes that JSON.stringify would have written the same way give the same text.
        if (sb.WrittenSpan.SequenceEqual(text))
        {
            JsJson.ReleaseBuilder(sb);
            return text;
        }
        return JsJson.ReturnBuilder(sb);
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a message array exactly as <c>JSON.stringify</c> writes it and
    /// normalization keeps it — <c>[{"role":"…","content":"…"|[{"type":"text","text":"…"},…]},…]</c> with
    /// no whitespace, only the escapes <c>JSON.stringify</c> itself writes and no surrogates — so that the
    /// normalized column is the text itself. False does not mean the fast path fails, only that the text
    /// has to be written out to know.
    /// </summary>
    internal static bool IsNormalizedMessages(ReadOnlySpan<char> text)
    {
        // Raw control characters (whitespace included) and surrogates anywhere: let the writer decide.
        var other = text.IndexOfAnyExceptInRange(' ', '\uD7FF');
        if (other >= 0 && (text[other..].ContainsAnyInRange('\0', '\u001F') || text[other..].ContainsAnyInRange('\uD800', '\uDFFF')))
        {
            return false;
        }
        var pos = 0;
        if (!SkipLiteral(text, ref pos, "[")) return false;
        if (SkipLiteral(text, ref pos, "]")) return pos == text.Length;
        while (true)
        {
            if (!SkipLiteral(text, ref pos, "{\"role\":") || !SkipStringLiteral(text, ref pos)
                || !SkipLiteral(text, ref pos, ",\"content\":"))
            {
                return false;
            }
            if (SkipLiteral(text, ref pos, "["))
            {
                if (!SkipLiteral(text, ref pos, "]"))
                {
                    while (true)
                    {
                        if (!SkipLiteral(text, ref pos, "{\"type\":\"text\",\"text\":") || !SkipStringLiteral(text, ref pos)
                            || !SkipLiteral(text, ref pos, "}"))
                        {
                            return false;
                        }
                        if (SkipLiteral(text, ref pos, ",")) continue;
                        if (SkipLiteral(text, ref pos, "]")) break;
                        return false;
                    }
                }
            }
            else if (!SkipStringLiteral(text, ref pos))
            {
                return false;
            }
            if (!SkipLiteral(text, ref pos, "}")) return false;
            if (SkipLiteral(text, ref pos, ",")) continue;
            return SkipLiteral(text, ref pos, "]") && pos == text.Length;
        }
    }

    private static bool SkipLiteral(ReadOnlySpan<char> text, ref int pos, string literal)
    {
        if (!text[pos..].StartsWith(literal)) return false;
        pos += literal.Length;
        return true;
    }

    /// <summary>A string literal whose escapes are all ones <c>JSON.stringify</c> writes: the short forms, and
    /// <c>\u00xx</c> (lower-case) for the other control characters.</summary>
    private static bool SkipStringLiteral(ReadOnlySpan<char> text, ref int pos)
    {
        if (pos >= text.Length || text[pos] != '"') return false;
        var i = pos + 1;
        while (true)
        {
            var next = text[i..].IndexOfAny('"', '\\');
            if (next < 0) return false;
            i += next;
            if (text[i] == '"')
            {
                pos = i + 1;
                return true;
            }
            if (i + 1 >= text.Length) return false;
            switch (text[i + 1])
            {
                case '"' or '\\' or 'b' or 'f' or 'n' or 'r' or 't':
                    i += 2;
                    break;
                case 'u':
                    if (i + 6 > text.Length || text[i + 2] != '0' || text[i + 3] != '0') return false;
                    var high = text[i + 4];
                    var low = text[i + 5];
                    if (high is not ('0' or '1')) return false;
                    int lowValue = low switch
                    {
                        >= '0' and <= '9' => low - '0',
                        >= 'a' and <= 'f' => low - 'a' + 10,
                        _ => -1,
                    };
                    if (lowValue < 0) return false;
                    // These have short forms, which JSON.stringify uses instead.
                    if ((high - '0') * 16 + lowValue is 0x08 or 0x09 or 0x0A or 0x0C or 0x0D) return false;
                    i += 6;
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>Reads the prompt and writes the normalized JSON to <c>sb</c>.</summary>
    private ref struct Reader(ReadOnlySpan<char> text, JsonTextBuilder sb)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private readonly JsonTextBuilder _sb = sb;
        private int _pos;

        public bool TryWritePrompt()
        {
            SkipWhitespace();
            if (_pos >= _text.Length) return false;
            var ok = _text[_pos] switch
            {
                '[' => TryWriteMessages(),
                '{' => TryWritePromptObject(),
                _ => false,
            };
            if (!ok) return false;
            SkipWhitespace();
            return _pos == _text.Length;
        }

        /// <summary><c>[message, ...]</c>.</summary>
        private bool TryWriteMessages()
        {
            _pos++; // '['
            Emit('[');
            SkipWhitespace();
            if (Peek(']'))
            {
                _pos++;
                Emit(']');
                return true;
            }
            while (true)
            {
                SkipWhitespace();
                if (!TryWriteMessage()) return false;
                SkipWhitespace();
                if (Peek(','))
                {
                    _pos++;
                    Emit(',');
                    continue;
                }
                if (!Peek(']')) return false;
                _pos++;
                Emit(']');
                return true;
            }
        }

        /// <summary><c>{"role": s, "content": s | parts}</c>.</summary>
        private bool TryWriteMessage()
        {
            if (!Peek('{')) return false;
            _pos++;
            if (!TryReadKey("role")) return false;
            Emit("{\"role\":");
            if (!TryCopyString()) return false;
            if (!TrySkip(',') || !TryReadKey("content")) return false;
            Emit(",\"content\":");
            if (Peek('"'))
            {
                if (!TryCopyString()) return false;
            }
            else if (Peek('['))
            {
                if (!TryWriteTextParts()) return false;
            }
            else
            {
                return false;
            }
            if (!TrySkip('}')) return false;
            Emit('}');
            return true;
        }

        /// <summary><c>[{"type": "text", "text": s}, ...]</c>.</summary>
        private bool TryWriteTextParts()
        {
            _pos++; // '['
            Emit('[');
            SkipWhitespace();
            if (Peek(']'))
            {
                _pos++;
                Emit(']');
                return true;
            }
            while (true)
            {
                if (!TrySkip('{') || !TryReadKey("type")) return false;
                if (!TryReadString(out var type) || !type.SequenceEqual("text")) return false;
                if (!TrySkip(',') || !TryReadKey("text")) return false;
                Emit("{\"type\":\"text\",\"text\":");
                if (!TryCopyString()) return false;
                if (!TrySkip('}')) return false;
                Emit('}');
                SkipWhitespace();
                if (Peek(','))
                {
                    _pos++;
                    Emit(',');
                    continue;
                }
                if (!Peek(']')) return false;
                _pos++;
                Emit(']');
                return true;
            }
        }

        /// <summary><c>{"prompt": s}</c> or <c>{"system": s, "prompt": s}</c> in either order.</summary>
        private bool TryWritePromptObject()
        {
            _pos++; // '{'
            var systemStart = -1;
            var promptStart = -1;
            while (true)
            {
                SkipWhitespace();
                if (!TryReadString(out var key)) return false;
                var isSystem = key.SequenceEqual("system");
                if (!isSystem && !key.SequenceEqual("prompt")) return false;
                if ((isSystem ? systemStart : promptStart) >= 0) return false; // duplicate key
                if (!TrySkip(':')) return false;
                SkipWhitespace();
                // Remember where the value starts; it is written once both keys are known.
                if (isSystem) systemStart = _pos;
                else promptStart = _pos;
                if (!TryReadString(out _)) return false;
                SkipWhitespace();
                if (Peek(','))
                {
                    _pos++;
                    continue;
                }
                if (!Peek('}')) return false;
                _pos++;
                break;
            }
            if (promptStart < 0) return false;
            var end = _pos;
            _sb.Append('[');
            if (systemStart >= 0)
            {
                _sb.Append("{\"role\":\"system\",\"content\":");
                _pos = systemStart;
                if (!TryCopyString()) return false;
                _sb.Append("},");
            }
            _sb.Append("{\"role\":\"user\",\"content\":");
            _pos = promptStart;
            if (!TryCopyString()) return false;
            _sb.Append("}]");
            _pos = end;
            return true;
        }

        /// <summary>Whitespace, the key <paramref name="expected"/> (as its unescaped text), whitespace, a colon, whitespace.</summary>
        private bool TryReadKey(string expected)
        {
            SkipWhitespace();
            if (!TryReadString(out var key) || !key.SequenceEqual(expected)) return false;
            if (!TrySkip(':')) return false;
            SkipWhitespace();
            return true;
        }

        /// <summary>A string literal at the current position, written in <c>JSON.stringify</c> form.</summary>
        private bool TryCopyString()
        {
            if (!TryReadString(out var value)) return false;
            JsJsonWriter.WriteString(_sb, value);
            return true;
        }

        /// <summary>The string literal at the current position (see <see cref="JsJsonParser.TryReadString"/>).</summary>
        private bool TryReadString(out ReadOnlySpan<char> value)
        {
            value = default;
            return Peek('"') && JsJsonParser.TryReadString(_text, ref _pos, out value);
        }

        /// <summary>Whitespace, then <paramref name="c"/>.</summary>
        private bool TrySkip(char c)
        {
            SkipWhitespace();
            if (!Peek(c)) return false;
            _pos++;
            return true;
        }

        private readonly bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

        private void SkipWhitespace() => _pos = JsJsonParser.SkipWhitespace(_text, _pos);

        private readonly void Emit(char c) => _sb.Append(c);

        private readonly void Emit(string s) => _sb.Append(s);
    }
}
