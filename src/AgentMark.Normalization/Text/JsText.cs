namespace AgentMark.Normalization.Text;

/// <summary>JavaScript's whitespace and <c>String.prototype.trim</c>, which differ slightly from .NET's.</summary>
internal static class JsText
{
    /// <summary>ECMAScript WhiteSpace and LineTerminator: includes U+FEFF, excludes U+0085 and U+001C–U+001F
    /// (which <see cref="char.IsWhiteSpace(char)"/> treats differently).</summary>
    public static bool IsWhitespace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029'
            or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    public static ReadOnlySpan<char> TrimStart(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && IsWhitespace(s[i])) i++;
        return s[i..];
    }

    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s)
    {
        s = TrimStart(s);
        var end = s.Length;
        while (end > 0 && IsWhitespace(s[end - 1])) end--;
        return s[..end];
    }

    /// <summary><c>s.trim()</c>; returns the same instance when nothing is trimmed.</summary>
    public static string Trim(string s)
    {
        var trimmed = Trim(s.AsSpan());
        return trimmed.Length == s.Length ? s : new string(trimmed);
    }
}
