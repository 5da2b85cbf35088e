namespace AgentMark.Gateway.Http;

/// <summary>
/// The listing order the contract asks for (JavaScript <c>localeCompare</c>, i.e. the ICU root
/// collation: templates-and-evals §6.2, wire-contract §25 #23). The gateway runs with invariant
/// globalization, where culture comparers are plain ordinal, so the root order is reproduced here
/// for ASCII: punctuation, then digits, then letters ignoring case, lowercase before uppercase on a
/// tie, and ordinal order as the last word. Other characters follow the letters by code point.
/// </summary>
public sealed class RootCollation : IComparer<string>
{
    public static readonly RootCollation Instance = new();

    // CLDR root order of the ASCII punctuation and symbols (non-ignorable).
    private const string Symbols = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var difference = Primary(x[i]).CompareTo(Primary(y[i]));
            if (difference != 0) return difference;
        }
        if (x.Length != y.Length) return x.Length.CompareTo(y.Length);
        for (var i = 0; i < length; i++)
        {
            // Same letters: the first case difference decides, lowercase first.
            if (x[i] != y[i] && char.IsAsciiLetter(x[i]) && char.IsAsciiLetter(y[i])) return char.IsAsciiLetterLower(x[i]) ? -1 : 1;
        }
        return string.CompareOrdinal(x, y);
    }

    private static int Primary(char c)
    {
        var symbol = Symbols.IndexOf(c);
        if (symbol >= 0) return symbol;
        if (char.IsAsciiDigit(c)) return 100 + (c - '0');
        if (char.IsAsciiLetter(c)) return 200 + (char.ToLowerInvariant(c) - 'a');
        return c < 128 ? 50 : 300 + c; // remaining controls sort with the symbols; the rest after z
    }
}
