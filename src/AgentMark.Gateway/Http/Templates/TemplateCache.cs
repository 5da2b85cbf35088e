using System.Collections.Concurrent;
using AgentMark.Templates;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Frontmatter;
using AgentMark.Templates.Syntax;

namespace AgentMark.Gateway.Http.Templates;

/// <summary>
/// Compiled prompt responses, keyed by file, tag set and commit. An entry remembers the timestamp
/// and size of every file it was built from and is checked against them on each hit, so an edit is
/// seen on the very next request; a <see cref="FileSystemWatcher"/> on the templates root drops
/// entries proactively (and keeps the cache from holding trees of deleted files).
/// </summary>
public sealed class TemplateCache : IDisposable
{
    private readonly ConcurrentDictionary<(string Path, string? Kind, string? Commit), Entry> _entries = new();
    private readonly object _watchGate = new();
    private FileSystemWatcher? _watcher;
    private string? _watchedRoot;

    private sealed record Entry(byte[] Json, (string Path, DateTime Stamp, long Length)[] Files);

    public int Count => _entries.Count;

    /// <summary>The <c>data</c> JSON of a prompt response (the stamped root node).</summary>
    /// <exception cref="TemplateFileException">The prompt file cannot be read.</exception>
    /// <exception cref="TemplateSyntaxException">The template is invalid (not cached).</exception>
    public byte[] GetOrCompile(string root, string fullPath, string? promptKind, string? commitSha)
    {
        EnsureWatching(root);
        var kind = promptKind is "text" or "object" or "image" or "speech" ? promptKind : null;
        var key = (fullPath, kind, commitSha);
        if (_entries.TryGetValue(key, out var entry) && IsFresh(entry)) return entry.Json;
        var files = new ConfinedFileSource(root);
        var compiled = new TemplateCompiler(files).Compile(fullPath, kind);
        CommitStamp.Apply(compiled.Root, commitSha);
        var json = MdastJson.ToUtf8(compiled.Root);
        var stamps = compiled.Files.Select(Stamp).ToArray();
        _entries[key] = new Entry(json, stamps);
        return json;
    }

    private static (string, DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (path, info.LastWriteTimeUtc, info.Length) : (path, DateTime.MinValue, -1);
    }

    private static bool IsFresh(Entry entry)
    {
        foreach (var (path, stamp, length) in entry.Files)
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.LastWriteTimeUtc != stamp || info.Length != length) return false;
        }
        return true;
    }

    /// <summary>Drops entries built from <paramref name="path"/> (all of them for a directory event).</summary>
    public void Invalidate(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var (key, entry) in _entries)
        {
            if (entry.Files.Any(f => f.Path == full || f.Path.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                _entries.TryRemove(key, out _);
        }
    }

    public void Clear() => _entries.Clear();

    private void EnsureWatching(string root)
    {
        if (_watchedRoot == root) return;
        lock (_watchGate)
        {
            if (_watchedRoot == root) return;
            _watcher?.Dispose();
            _watcher = null;
            _entries.Clear();
            _watchedRoot = root;
            if (!Directory.Exists(root)) return;
            try
            {
                var watcher = new FileSystemWatcher(root)
                {
                    IncludeSubdirectories = true,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                };
                watcher.Changed += (_, e) => Invalidate(e.FullPath);
                watcher.Created += (_, e) => Invalidate(e.FullPath);
                watcher.Deleted += (_, e) => Invalidate(e.FullPath);
                watcher.Renamed += (_, e) => { Invalidate(e.OldFullPath); Invalidate(e.FullPath); };
                watcher.Error += (_, _) => Clear();
                watcher.EnableRaisingEvents = true;
                _watcher = watcher;
            }
            catch (Exception error) when (error is IOException or ArgumentException or PlatformNotSupportedException)
            {
                // Without a watcher the per-hit freshness check still keeps responses correct.
            }
        }
    }

    public void Dispose()
    {
        lock (_watchGate) _watcher?.Dispose();
    }
}
