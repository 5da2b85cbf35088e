using System.Globalization;
using System.Text;
using AgentMark.Core.Spans;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// How the embedded store keeps a span's raw attribute map (ingestion §6.1 <c>SpanAttributes</c>) without a
/// second copy of the span's I/O. Instrumentations carry the prompt and the completion as attributes (the
/// Vercel AI SDK's <c>ai.prompt.messages</c> and <c>ai.response.text</c>, OpenInference's <c>input.value</c>,
/// …), and normalization stores the same text again as the span's input and output: about half of a
/// generation span's stored bytes.
/// <para>
/// A string value of the map whose JSON literal is exactly the literal of one of the span's I/O columns is
/// stored as <c>null</c>, and its place (the character offset in the stored text) and column are listed in
/// <c>span_payloads.attribute_refs</c> (<c>"120i,877o"</c>); a read puts the literals back. The map read is
/// the map written, character for character: a value is elided only when escaping the column as
/// <c>JSON.stringify</c> does (fixed by ES2019, so a later reader escapes it the same way) reproduces its
/// literal exactly; anything else stays as it is.
/// </para>
/// </summary>
internal static class StoredAttributes
{
    /// <summary>Shorter values are not worth a reference.</summary>
    private const int MinLength = 64;

    /// <summary>The columns a value may refer to, by their code in <c>attribute_refs</c>.</summary>
    private const string Codes = "iobtp";

    /// <summary>The stored form: the map's text, and its references (null when nothing was elided).</summary>
    public readonly record struct Stored(string Json, string? Refs);

    private static string? Column(SpanRecord span, char code) => code switch
    {
        'i' => span.Input,
        'o' => span.Output,
        'b' => span.OutputObject,
        't' => span.ToolCalls,
        'p' => span.Props,
        _ => throw new InvalidDataException($"Unknown attribute reference '{code}'."),
    };

    /// <summary>The stored form of <paramref name="span"/>'s attribute map.</summary>
    /// <remarks>
    /// Runs on the request's thread, once per span: one pass over the map's string literals, compared in place
    /// with the columns (no escaped copy of them is built), and one allocation when something is elided.
    /// </remarks>
    public static Stored Compact(SpanRecord span)
    {
        var json = span.SpanAttributes;
        if (!HasCandidate(span, json.Length)) return new(json, null);
        List<(int At, int Length, char Code)>? found = null;
        for (var pos = 0; ;)
        {
            // Outside strings, the next quote opens one: a key or a value, at any depth.
            var open = json.IndexOf('"', pos);
            if (open < 0) break;
            var close = ClosingQuote(json, open + 1);
            if (close < 0) break;
            pos = close + 1;
            var raw = json.AsSpan(open + 1, close - open - 1);
            if (raw.Length < MinLength || (pos < json.Length && json[pos] == ':')) continue;
            foreach (var code in Codes)
            {
                if (Column(span, code) is { Length: >= MinLength } value && raw.Length >= value.Length
                    && EscapesTo(value, raw) && !HasLoneSurrogate(value))
                {
                    (found ??= []).Add((open, raw.Length + 2, code));
                    break; // two columns with the same text: the value refers to the first
                }
            }
        }
        if (found is null) return new(json, null);
        // Each reference is the placeholder's offset in the stored text: the literals before it are shorter there.
        var refs = new StringBuilder();
        var removed = 0;
        foreach (var (at, literalLength, code) in found)
        {
            if (refs.Length > 0) refs.Append(',');
            refs.Append((at - removed).ToString(CultureInfo.InvariantCulture)).Append(code);
            removed += literalLength - Placeholder.Length;
        }
        var stored = string.Create(json.Length - removed, (json, found), static (destination, state) =>
        {
            var pos = 0;
            foreach (var (at, literalLength, _) in state.found)
            {
                state.json.AsSpan(pos, at - pos).CopyTo(destination);
                Placeholder.CopyTo(destination[(at - pos)..]);
                destination = destination[(at - pos + Placeholder.Length)..];
                pos = at + literalLength;
            }
            state.json.AsSpan(pos).CopyTo(destination);
        });
        return new(stored, refs.ToString());
    }

    private const string Placeholder = "null";

    private static bool HasCandidate(SpanRecord span, int jsonLength)
    {
        foreach (var code in Codes)
            if (Column(span, code) is { Length: >= MinLength } value && value.Length + 2 <= jsonLength) return true;
        return false;
    }

    /// <summary>The index of the quote that closes the string whose text starts at <paramref name="from"/>; −1 if none.</summary>
    private static int ClosingQuote(string json, int from)
    {
        while (from < json.Length)
        {
            var next = json.AsSpan(from).IndexOfAny('"', '\\');
            if (next < 0) return -1;
            from += next;
            if (json[from] == '"') return from;
            from += 2; // an escape
        }
        return -1;
    }

    /// <summary>Whether <paramref name="raw"/> (a literal's text between its quotes) is <paramref name="value"/> escaped as <see cref="AppendLiteral"/> does.</summary>
    private static bool EscapesTo(ReadOnlySpan<char> value, ReadOnlySpan<char> raw)
    {
        // Quotes and backslashes are frequent in JSON text; control characters and surrogates are rare, so
        // each of those is searched for again only once passed.
        int i = 0, r = 0, control = -1, surrogate = -1;
        while (true)
        {
            if (control < i) control = NextIndex(value, i, value[i..].IndexOfAnyInRange('\0', '\u001F'));
            if (surrogate < i) surrogate = NextIndex(value, i, value[i..].IndexOfAnyInRange('\uD800', '\uDFFF'));
            var next = Math.Min(NextIndex(value, i, value[i..].IndexOfAny('"', '\\')), Math.Min(control, surrogate));
            var run = next - i;
            if (raw.Length - r < run || !raw.Slice(r, run).SequenceEqual(value.Slice(i, run))) return false;
            (i, r) = (next, r + run);
            if (i == value.Length) return r == raw.Length;
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                // A well-formed pair is written as it is.
                if (raw.Length - r < 2 || raw[r] != c || raw[r + 1] != value[i + 1]) return false;
                (i, r) = (i + 2, r + 2);
                continue;
            }
            var escape = Escape(c);
            if (!raw[r..].StartsWith(escape, StringComparison.Ordinal)) return false;
            (i, r) = (i + 1, r + escape.Length);
        }
    }

    /// <summary>An index found in <c>s[offset..]</c> as an index of <paramref name="s"/>; its length when not found.</summary>
    private static int NextIndex(ReadOnlySpan<char> s, int offset, int found) => found < 0 ? s.Length : offset + found;

    /// <summary>The attribute map as written, from its stored text and references and the span's I/O columns.</summary>
    public static string Restore(string stored, string? refs, SpanRecord span)
    {
        if (string.IsNullOrEmpty(refs)) return stored;
        var json = new StringBuilder(stored.Length + 2048);
        var pos = 0;
        foreach (var reference in refs.Split(','))
        {
            var at = int.Parse(reference.AsSpan(0, reference.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
            var value = Column(span, reference[^1])
                ?? throw new InvalidDataException($"Attribute reference '{reference}' names an empty column.");
            json.Append(stored, pos, at - pos);
            AppendLiteral(json, value);
            pos = at + Placeholder.Length;
        }
        json.Append(stored, pos, stored.Length - pos);
        return json.ToString();
    }

    /// <summary>
    /// A lone surrogate (OTLP/JSON's <c>"\ud800"</c>) is stored as U+FFFD (the text columns are UTF-8), so the
    /// column read back would no longer rebuild the map's literal, which keeps it escaped.
    /// </summary>
    private static bool HasLoneSurrogate(string s)
    {
        for (var i = s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (!char.IsHighSurrogate(s[i]) || i + 1 == s.Length || !char.IsLowSurrogate(s[i + 1])) return true;
            i++;
        }
        return false;
    }

    /// <summary>
    /// A JSON string literal as ES2019 <c>JSON.stringify</c> writes it (QuoteJSONString): <c>"</c>, <c>\</c>, the
    /// short escapes, other control characters and lone surrogates as <c>\u</c> with lower-case hex, the rest raw.
    /// </summary>
    private static void AppendLiteral(StringBuilder sb, string s)
    {
        sb.Append('"');
        var pos = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c >= ' ' && c != '"' && c != '\\' && !char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++; // a well-formed pair stays raw
                continue;
            }
            sb.Append(s, pos, i - pos).Append(Escape(c));
            pos = i + 1;
        }
        sb.Append(s, pos, s.Length - pos).Append('"');
    }

    /// <summary>How <c>JSON.stringify</c> writes a quote, a backslash, a control character or a lone surrogate.</summary>
    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
    };
}
