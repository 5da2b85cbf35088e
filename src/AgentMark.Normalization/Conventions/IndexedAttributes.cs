using System.Globalization;
using AgentMark.Normalization.Attributes;

namespace AgentMark.Normalization.Conventions;

/// <summary>
/// Flattened lists such as <c>llm.input_messages.3.message.role</c> or <c>retrieval.documents.0.document.id</c>:
/// the distinct indices <c>n</c> of the keys matching <c>^prefix(\d+)\.</c>, ascending (ingestion §2.2,
/// indexed-message parser step 1). Gaps and any attribute order are fine.
/// </summary>
/// <remarks>The reference turns the digits into a number and rebuilds the keys from it, so a key written
/// <c>.007.</c> is listed as 7 and then looked up as <c>.7.</c>; <see cref="Key"/> does the same.</remarks>
internal static class IndexedAttributes
{
    /// <summary>Indices are capped so that hostile keys cannot make the rebuilt keys differ from the
    /// reference's (which would print a huge number in exponent form) or allocate per digit.</summary>
    private const int MaxDigits = 9;

    /// <summary>The ascending distinct indices under <paramref name="prefix"/> (which ends with a dot).</summary>
    public static List<int> Indices(AttributeView a, string prefix)
    {
        var indices = new List<int>();
        foreach (var key in a.Keys)
        {
            if (TryParseIndex(key, prefix, out var index) && !indices.Contains(index)) indices.Add(index);
        }
        indices.Sort();
        return indices;
    }

    /// <summary>Whether any key carries an index under <paramref name="prefix"/>.</summary>
    public static bool Any(AttributeView a, string prefix)
    {
        foreach (var key in a.Keys)
        {
            if (TryParseIndex(key, prefix, out _)) return true;
        }
        return false;
    }

    /// <summary><c>prefix + index + "."</c>, the base of the keys of one list element.</summary>
    public static string Key(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture) + ".";

    private static bool TryParseIndex(string key, string prefix, out int index)
    {
        index = 0;
        if (!key.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var i = prefix.Length;
        var start = i;
        while (i < key.Length && key[i] is >= '0' and <= '9') i++;
        var digits = i - start;
        if (digits == 0 || i >= key.Length || key[i] != '.') return false;
        // Leading zeros do not change the number; only the significant digits are bounded.
        while (start < i - 1 && key[start] == '0') start++;
        if (i - start > MaxDigits) return false;
        index = int.Parse(key.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }
}
