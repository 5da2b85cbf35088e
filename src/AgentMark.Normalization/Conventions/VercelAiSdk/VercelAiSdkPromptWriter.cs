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
/// normalized form. The text is therefore first only checked (no whitespace, no escapes, no surrogates:
/// then re-serializing cannot change it) and the attribute's own string is the column, with nothing
/// written, allocated or copied. Otherwise it is written out.
/// </para>
/// </remarks>
internal static class VercelAiSdkPromptWriter
{
    /// <summary>The <c>Input</c> column for the span's prompt, or null when the fast path does not apply.</summary>
    public static string? TryWrite(AttributeView a)
    {
        if ((a["ai.prompt.messages"] ?? a["ai.prompt"]) is not string text) return null;

        var check = new Reader(text, null);
        if (!check.TryWritePrompt()) return null;
        if (!check.Rewritten) return text;

        var sb = JsJson.RentBuilder();
        var writer = new Reader(text, sb);
        if (!writer.TryWritePrompt())
        {
            // Not reached: the check above read the same text the same way.
            JsJson.ReleaseBuilder(sb);
            return null;
        }
        // Escapes or whitespace that JSON.stringify would have written the same way still give the same text.
        if (sb.WrittenSpan.SequenceEqual(text))
        {
            JsJson.ReleaseBuilder(sb);
            return text;
        }
        return JsJson.ReturnBuilder(sb);
    }

    /// <summary>
    /// Reads the prompt and writes the normalized JSON to <c>sb</c>; with no builder it only checks, and
    /// sets <see cref="Rewritten"/> when the output could differ from the input text.
    /// </summary>
    private ref struct Reader(ReadOnlySpan<char> text, JsonTextBuilder? sb)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private readonly JsonTextBuilder? _sb = sb;
        private int _pos;

        /// <summary>Check mode: the output would not simply be the input text (whitespace, an escape or a
        /// surrogate was met, or the prompt is an object).</summary>
        public bool Rewritten { get; private set; }

        public bool TryWritePrompt()
        {
            SkipWhitespace();
            if (_pos >= _text.Length) return false;
            bool ok;
            switch (_text[_pos])
            {
                case '[':
                    ok = TryWriteMessages();
                    break;
                case '{':
                    ok = TryWritePromptObject();
                    Rewritten = true;
                    break;
                default:
                    return false;
            }
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
            if (_sb is null) return true;
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
            if (_sb is not null) JsJsonWriter.WriteString(_sb, value);
            // Check mode: a string without escapes and surrogates is written back exactly as it was read.
            else if (value.ContainsAnyInRange('\uD800', '\uDFFF')) Rewritten = true;
            return true;
        }

        /// <summary>The string literal at the current position (see <see cref="JsJsonParser.TryReadString"/>).</summary>
        private bool TryReadString(out ReadOnlySpan<char> value)
        {
            value = default;
            if (!Peek('"')) return false;
            var start = _pos;
            if (!JsJsonParser.TryReadString(_text, ref _pos, out value)) return false;
            // Shorter than its literal (quotes aside): it had escapes.
            if (value.Length != _pos - start - 2) Rewritten = true;
            return true;
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

        private void SkipWhitespace()
        {
            var start = _pos;
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
            if (_pos != start) Rewritten = true;
        }

        private readonly void Emit(char c) => _sb?.Append(c);

        private readonly void Emit(string s) => _sb?.Append(s);
    }
}
