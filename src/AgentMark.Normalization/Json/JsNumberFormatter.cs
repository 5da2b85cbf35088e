using AgentMark.Core.Json;

namespace AgentMark.Normalization.Json;

/// <summary>
/// ECMAScript <c>Number::toString</c> (Core's <see cref="JsFormat.FormatFiniteNumber"/>) written straight
/// into a <see cref="JsonTextBuilder"/>, without an intermediate string (numbers with a fraction appear
/// in every GenAI span: temperatures, costs).
/// </summary>
internal static class JsNumberFormatter
{
    /// <summary>Writes a finite, non-zero, positive or negative double (callers handle 0, NaN and infinities).</summary>
    /// <remarks>The same few values recur span after span (a temperature of 0.7 is written twice per
    /// generation span), so the text of recently written values is kept in a small per-thread table.</remarks>
    public static void Write(JsonTextBuilder sb, double x)
    {
        var cache = t_cache ??= new RecentNumbers();
        var bits = BitConverter.DoubleToInt64Bits(x);
        var slot = (int)(((ulong)bits * 0x9E3779B97F4A7C15UL) >> (64 - RecentNumbers.SlotBits));
        var text = cache.Text.AsSpan(slot * RecentNumbers.MaxLength, RecentNumbers.MaxLength);
        int length = cache.Lengths[slot];
        if (length != 0 && cache.Bits[slot] == bits)
        {
            sb.Append(text[..length]);
            return;
        }
        var start = sb.Length;
        WriteUncached(sb, x);
        var written = sb.WrittenSpan[start..];
        if (written.Length > RecentNumbers.MaxLength) return;
        written.CopyTo(text);
        cache.Bits[slot] = bits;
        cache.Lengths[slot] = (byte)written.Length;
    }

    [ThreadStatic] private static RecentNumbers? t_cache;

    /// <summary>Direct-mapped: value bits → text (length 0 = empty slot).</summary>
    private sealed class RecentNumbers
    {
        public const int SlotBits = 4;
        public const int MaxLength = 32;
        public readonly long[] Bits = new long[1 << SlotBits];
        public readonly byte[] Lengths = new byte[1 << SlotBits];
        public readonly char[] Text = new char[(1 << SlotBits) * MaxLength];
    }

    private static void WriteUncached(JsonTextBuilder sb, double x)
    {
        Span<char> text = stackalloc char[JsFormat.MaxNumberLength];
        JsFormat.FormatFiniteNumber(x, text, out var length);
        sb.Append(text[..length]);
    }
}
