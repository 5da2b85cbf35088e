using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// String reading for the hand-written JSON decoders. Strings are decoded leniently, as Node decodes a
/// request body: invalid UTF-8 becomes U+FFFD and an escaped lone surrogate (what JSON.stringify emits
/// when a JavaScript SDK truncates a long value mid-pair) is kept, instead of failing the whole batch.
/// </summary>
internal static class JsonText
{
    /// <summary>Most depth an OTLP document needs is attribute nesting, three JSON levels per level.</summary>
    public const int MaxDepth = 256;

    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Drops a UTF-8 byte order mark (Node's body decoding does the same).</summary>
    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>The current string token (or property name) as a .NET string.</summary>
    public static string ReadString(ref Utf8JsonReader reader)
    {
        Debug.Assert(!reader.HasValueSequence, "decoders read a single contiguous buffer");
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped) return Encoding.UTF8.GetString(raw);
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return UnescapeLeniently(raw);
        }
    }

    /// <summary>As <see cref="ReadString(ref Utf8JsonReader)"/>, sharing repeated short strings (keys).</summary>
    public static string ReadString(ref Utf8JsonReader reader, StringCache cache) =>
        reader.ValueIsEscaped ? ReadString(ref reader) : cache.Get(reader.ValueSpan);

    /// <summary>
    /// Unescapes a JSON string body the reader already validated, keeping lone surrogates and
    /// replacing invalid UTF-8. Only reached when <see cref="Utf8JsonReader.GetString"/> refuses.
    /// </summary>
    internal static string UnescapeLeniently(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var slash = raw.IndexOf((byte)'\\');
            var run = slash < 0 ? raw : raw[..slash];
            if (!run.IsEmpty) sb.Append(Encoding.UTF8.GetString(run));
            if (slash < 0) break;
            var escape = raw[slash + 1];
            raw = raw[(slash + 2)..];
            switch (escape)
            {
                case (byte)'b': sb.Append('\b'); break;
                case (byte)'f': sb.Append('\f'); break;
                case (byte)'n': sb.Append('\n'); break;
                case (byte)'r': sb.Append('\r'); break;
                case (byte)'t': sb.Append('\t'); break;
                case (byte)'u':
                    sb.Append((char)int.Parse(Encoding.ASCII.GetString(raw[..4]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    raw = raw[4..];
                    break;
                default: sb.Append((char)escape); break; // '"', '\\', '/'
            }
        }
        return sb.ToString();
    }
}

/// <summary>
/// Per-request cache that returns one string instance for repeated short UTF-8 values: attribute keys
/// repeat on every span of a batch, so this saves most key allocations and the memory they pin.
/// </summary>
internal sealed class StringCache
{
    private const int MaxEntries = 2048;
    private const int MaxBytes = 128;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringCache() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxBytes];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var cached)) return cached;
        var created = new string(text);
        if (_strings.Count < MaxEntries) _strings.Add(created, created);
        return created;
    }
}
