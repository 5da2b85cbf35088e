using System.Buffers;

namespace AgentMark.Ingest.Otlp;

/// <summary>Canonical stored form of trace, span and parent ids (ingestion §1.10).</summary>
internal static class SpanIds
{
    public const int TraceIdBytes = 16;
    public const int SpanIdBytes = 8;

    private const string ZeroSpanId = "0000000000000000";

    // Base64 of 16 bytes is 24 characters; anything much longer cannot decode to an id.
    private const int MaxBase64Chars = 64;

    /// <summary>
    /// A JSON id string: hex of the expected length → lower case; base64 decoding to exactly
    /// <paramref name="byteLength"/> bytes → hex; any other non-empty string verbatim.
    /// </summary>
    public static string FromString(string id, int byteLength)
    {
        if (id.Length == byteLength * 2 && IsHex(id)) return LowerHex(id);
        if (id.Length <= MaxBase64Chars)
        {
            Span<byte> bytes = stackalloc byte[MaxBase64Chars];
            if (Convert.TryFromBase64String(id, bytes, out var written) && written == byteLength)
            {
                return Convert.ToHexStringLower(bytes[..written]);
            }
        }
        return id;
    }

    /// <summary>The parent id, or null for a root span (missing, empty or all zeros).</summary>
    public static string? ParentFromString(string? id)
    {
        if (string.IsNullOrEmpty(id)) return null;
        var canonical = FromString(id, SpanIdBytes);
        return canonical == ZeroSpanId ? null : canonical;
    }

    public static string FromBytes(ReadOnlySpan<byte> id) => id.IsEmpty ? "" : Convert.ToHexStringLower(id);

    /// <summary>Protobuf parent id: empty or 8 zero bytes → root (null).</summary>
    public static string? ParentFromBytes(ReadOnlySpan<byte> id)
    {
        if (id.IsEmpty) return null;
        if (id.Length == SpanIdBytes && !id.ContainsAnyExcept((byte)0)) return null;
        return Convert.ToHexStringLower(id);
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsHex(string s) => !s.AsSpan().ContainsAnyExcept(HexDigits);

    private static string LowerHex(string s) => s.AsSpan().ContainsAnyInRange('A', 'F') ? s.ToLowerInvariant() : s;
}
