using System.Globalization;

namespace AgentMark.Normalization.Json;

/// <summary>
/// ECMAScript <c>Number::toString</c> written straight into a <see cref="JsonTextBuilder"/>: the same
/// result as <c>JsFormat.NumberToString</c> in Core, without its intermediate strings (numbers with a
/// fraction appear in every GenAI span: temperatures, costs).
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
        if (x < 0)
        {
            sb.Append('-');
            x = -x;
        }

        // Shortest round-trip form, e.g. "123.45", "1.5E-07", "1E+21".
        Span<char> text = stackalloc char[32];
        x.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        text = text[..length];

        // Split into significant digits and n, with value = 0.d1d2..dk × 10^n.
        Span<char> digits = stackalloc char[32];
        var k = 0;
        var exponent = 0;
        var pointSeen = false;
        var integerDigits = 0;
        var leadingZeros = true;
        var skippedFractionZeros = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            if (c == '.')
            {
                pointSeen = true;
                continue;
            }
            if (leadingZeros && c == '0')
            {
                if (pointSeen) skippedFractionZeros++;
                continue;
            }
            leadingZeros = false;
            digits[k++] = c;
            if (!pointSeen) integerDigits++;
        }
        while (k > 1 && digits[k - 1] == '0')
        {
            k--;
        }
        var n = (integerDigits > 0 ? integerDigits : -skippedFractionZeros) + exponent;

        if (k <= n && n <= 21)
        {
            sb.Append(digits[..k]);
            for (var i = k; i < n; i++) sb.Append('0');
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits[..n]).Append('.').Append(digits[n..k]);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.");
            for (var i = 0; i < -n; i++) sb.Append('0');
            sb.Append(digits[..k]);
        }
        else
        {
            var e = n - 1;
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits[1..k]);
            sb.Append('e').Append(e >= 0 ? '+' : '-').Append(Math.Abs(e));
        }
    }
}
