using System.Globalization;
using AgentMark.Normalization.Text;

namespace AgentMark.Normalization.Coercion;

/// <summary>
/// JavaScript's string-to-number conversions (<c>parseInt(s, 10)</c>, <c>parseFloat(s)</c>,
/// <c>Number(s)</c>), which the coercions of ingestion §2.2 are defined by. Each returns NaN where
/// JavaScript does.
/// </summary>
internal static class JsNumberParser
{
    /// <summary><c>parseInt(s, 10)</c>: leading whitespace, optional sign, then the longest run of digits.</summary>
    public static double ParseInt(ReadOnlySpan<char> s)
    {
        s = JsText.TrimStart(s);
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        var n = 0;
        while (n < s.Length && s[n] is >= '0' and <= '9') n++;
        if (n == 0) return double.NaN;
        var value = double.Parse(s[..n], NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary><c>parseFloat(s)</c>: leading whitespace, then the longest prefix that is a decimal literal
    /// (or <c>Infinity</c>); no hex.</summary>
    public static double ParseFloat(ReadOnlySpan<char> s)
    {
        s = JsText.TrimStart(s);
        var length = DecimalLiteralLength(s, out var isInfinity);
        if (length == 0) return double.NaN;
        if (isInfinity) return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        return double.Parse(s[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary><c>Number(s)</c>: the whole trimmed string must be a numeric literal; empty → 0;
    /// <c>0x</c>/<c>0o</c>/<c>0b</c> integers accepted (unsigned only).</summary>
    public static double Number(ReadOnlySpan<char> s)
    {
        s = JsText.Trim(s);
        if (s.Length == 0) return 0;
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            var radix = s[1] is 'x' or 'X' ? 16 : s[1] is 'o' or 'O' ? 8 : 2;
            double acc = 0;
            foreach (var c in s[2..])
            {
                var digit = c switch
                {
                    >= '0' and <= '9' => c - '0',
                    >= 'a' and <= 'f' => c - 'a' + 10,
                    >= 'A' and <= 'F' => c - 'A' + 10,
                    _ => 99,
                };
                if (digit >= radix) return double.NaN;
                acc = acc * radix + digit;
            }
            return acc;
        }
        var length = DecimalLiteralLength(s, out var isInfinity);
        if (length != s.Length) return double.NaN;
        if (isInfinity) return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Length of the longest prefix of <paramref name="s"/> matching StrDecimalLiteral:
    /// <c>[+-]? (Infinity | digits [. digits?] | . digits) ([eE] [+-]? digits)?</c>. 0 when none.
    /// </summary>
    private static int DecimalLiteralLength(ReadOnlySpan<char> s, out bool isInfinity)
    {
        isInfinity = false;
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-') i++;
        if (s[i..].StartsWith("Infinity", StringComparison.Ordinal))
        {
            isInfinity = true;
            return i + "Infinity".Length;
        }
        var intDigits = 0;
        while (i < s.Length && s[i] is >= '0' and <= '9') { i++; intDigits++; }
        var fracDigits = 0;
        if (i < s.Length && s[i] == '.')
        {
            var j = i + 1;
            while (j < s.Length && s[j] is >= '0' and <= '9') { j++; fracDigits++; }
            if (intDigits > 0 || fracDigits > 0) i = j;
        }
        if (intDigits == 0 && fracDigits == 0) return 0;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < s.Length && s[j] is '+' or '-') j++;
            var expDigits = 0;
            while (j < s.Length && s[j] is >= '0' and <= '9') { j++; expDigits++; }
            if (expDigits > 0) i = j;
        }
        return i;
    }
}
