using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using AgentMark.Normalization.Text;

namespace AgentMark.Normalization.Pricing;

/// <summary>
/// Maps a reported model id to a key of a price dictionary (ingestion §4.3): exact key, then a
/// breadth-first list of candidates (fine-tune base, provider prefix, region prefix, date/version
/// suffixes), each tried exactly and case-insensitively, then a longest-prefix fallback that needs a
/// separator after the key. Thread-safe; results are memoized.
/// </summary>
internal sealed partial class ModelIdResolver
{
    /// <summary>The reference caps its memo at this many ids per dictionary.</summary>
    private const int MaxMemoizedIds = 5000;

    private readonly HashSet<string> _keys;
    private readonly Dictionary<string, string> _keysByLowerCase;
    private readonly string[] _prefixKeys;
    private readonly ConcurrentDictionary<string, string?> _memo = new(StringComparer.Ordinal);
    private int _memoCount;

    /// <param name="keys">Dictionary keys in file order (order decides case-insensitive and prefix ties).</param>
    public ModelIdResolver(IEnumerable<string> keys)
    {
        var ordered = keys.ToList();
        _keys = new HashSet<string>(ordered, StringComparer.Ordinal);
        _keysByLowerCase = new Dictionary<string, string>(StringComparer.Ordinal);
        // When two keys differ only by case, the later one in file order wins.
        foreach (var key in ordered) _keysByLowerCase[key.ToLowerInvariant()] = key;
        // OrderBy is stable: equal lengths keep file order.
        _prefixKeys = ordered.Where(k => k.Length >= 4).OrderByDescending(k => k.Length).ToArray();
    }

    /// <summary>The matching dictionary key, or null.</summary>
    public string? Resolve(string? model)
    {
        if (string.IsNullOrEmpty(model)) return null;
        if (_keys.Contains(model)) return model;
        if (_memo.TryGetValue(model, out var memoized)) return memoized;

        var resolved = ResolveUncached(model);
        if (Volatile.Read(ref _memoCount) < MaxMemoizedIds && _memo.TryAdd(model, resolved))
        {
            Interlocked.Increment(ref _memoCount);
        }
        return resolved;
    }

    private string? ResolveUncached(string model)
    {
        var candidates = Candidates(model);
        foreach (var candidate in candidates)
        {
            if (_keys.Contains(candidate)) return candidate;
            if (_keysByLowerCase.TryGetValue(candidate.ToLowerInvariant(), out var key)) return key;
        }
        foreach (var candidate in candidates)
        {
            foreach (var key in _prefixKeys)
            {
                if (candidate.Length > key.Length && candidate.StartsWith(key, StringComparison.Ordinal)
                    && candidate[key.Length] is '-' or ':' or '@' or '.' or '/' or '_')
                {
                    return key;
                }
            }
        }
        return null;
    }

    /// <summary>Ordered, de-duplicated, breadth-first candidate ids for <paramref name="model"/>.</summary>
    internal static List<string> Candidates(string model)
    {
        var queue = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Enqueue(string id)
        {
            if (id.Length > 0 && seen.Add(id)) queue.Add(id);
        }

        Enqueue(JsText.Trim(model));
        for (var i = 0; i < queue.Count; i++)
        {
            var id = queue[i];
            var fineTune = FineTunePattern().Match(id);
            if (fineTune.Success)
            {
                Enqueue("ft:" + fineTune.Groups[1].Value);
                Enqueue(fineTune.Groups[1].Value);
            }
            var slash = id.LastIndexOf('/');
            if (slash >= 0) Enqueue(id[(slash + 1)..]);
            var region = RegionPrefixPattern().Match(id);
            if (region.Success) Enqueue(id[region.Length..]);
            foreach (var suffix in SuffixPatterns)
            {
                var match = suffix.Match(id);
                if (match.Success) Enqueue(id[..match.Index]);
            }
        }
        return queue;
    }

    // [0-9] rather than \d: .NET's \d also matches non-ASCII digits, JavaScript's does not.
    // \z rather than $: .NET's $ also matches before a final newline.
    [GeneratedRegex(@"^ft:([^:]+)", RegexOptions.CultureInvariant)]
    private static partial Regex FineTunePattern();

    [GeneratedRegex(@"^(?:us|eu|ap|apac|jp|au|ca|sa|us-gov|global)\.", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPrefixPattern();

    private static readonly Regex[] SuffixPatterns =
    [
        new(@"-[0-9]{4}-[0-9]{2}-[0-9]{2}\z", RegexOptions.CultureInvariant | RegexOptions.Compiled),
        new(@"-[0-9]{8}\z", RegexOptions.CultureInvariant | RegexOptions.Compiled),
        new(@"@[0-9]{8}\z", RegexOptions.CultureInvariant | RegexOptions.Compiled),
        new(@"@[0-9]{3}\z", RegexOptions.CultureInvariant | RegexOptions.Compiled),
        new(@"-latest\z", RegexOptions.CultureInvariant | RegexOptions.Compiled),
    ];
}
