using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>One dataset in the listing (templates-and-evals §6.2).</summary>
public sealed record DatasetEntry(string Name, long RowCount, DateTime CreatedUtc);

/// <summary>
/// The JSONL dataset files under the templates root: listing with row counts, and durable appends.
/// </summary>
/// <remarks>
/// Rows are counted as the contract defines them: lines whose trimmed content is non-empty, counted
/// and never parsed, so a torn or hand-broken line counts as one line and never breaks a listing.
/// Counts are cached by file length and last-write time, so a file edited by hand is re-read.
/// <para>
/// Appends: one writer per file (an in-process semaphore, plus a POSIX record lock on the whole file
/// against another process that appends the same way), the new rows written in append mode with a
/// single write, then fsync; a file just created also has its folder entries fsynced. Append mode
/// means that even a writer that ignores the lock can never have its bytes overwritten or split. A failed write is truncated back,
/// so nothing partial stays behind from a write that was not acknowledged. A file that does not end
/// with a newline (edited by hand, or torn by a crash outside this process) gets one first, so a new
/// row never merges into the last line (§6.3).
/// </para>
/// </remarks>
public sealed class DatasetFiles(ILogger<DatasetFiles> logger)
{
    private const int ScanBufferBytes = 64 * 1024;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Length, DateTime WrittenUtc, long Rows)> _counts = new(StringComparer.Ordinal);

    /// <summary>Every <c>*.jsonl</c> under <paramref name="root"/>, skipping <c>node_modules</c> and dot-folders/files ([X] §1.1).</summary>
    public List<DatasetEntry> List(string root)
    {
        var result = new List<DatasetEntry>();
        if (Directory.Exists(root)) Walk(new DirectoryInfo(root), root, result);
        return result;
    }

    private void Walk(DirectoryInfo directory, string root, List<DatasetEntry> result)
    {
        IEnumerable<FileSystemInfo> entries;
        try { entries = directory.EnumerateFileSystemInfos().ToList(); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException) { return; }
        foreach (var entry in entries)
        {
            if (entry.Name.StartsWith('.')) continue;
            if (entry is DirectoryInfo child)
            {
                if (child.Name == "node_modules" || child.LinkTarget is not null) continue;
                Walk(child, root, result);
            }
            else if (entry is FileInfo file && file.Name.EndsWith(DatasetName.Extension, StringComparison.OrdinalIgnoreCase))
            {
                if (file.LinkTarget is not null && !Templates.TemplatePathValidator.IsInsideRoot(root, file.FullName)) continue;
                if (Describe(file, root) is { } described) result.Add(described);
            }
        }
    }

    private DatasetEntry? Describe(FileInfo file, string root)
    {
        try
        {
            var rows = RowCount(file);
            // [X] no birth time on the filesystem (or one after the last write, as when .NET falls back to ctime): last write.
            var created = file.CreationTimeUtc;
            if (created.Year < 1971 || created > file.LastWriteTimeUtc) created = file.LastWriteTimeUtc;
            return new DatasetEntry(Path.GetRelativePath(root, file.FullName).Replace('\\', '/'), rows, created);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "Dataset {File} could not be read", file.FullName);
            return null;
        }
    }

    private long RowCount(FileInfo file)
    {
        if (_counts.TryGetValue(file.FullName, out var cached) && cached.Length == file.Length && cached.WrittenUtc == file.LastWriteTimeUtc)
            return cached.Rows;
        using var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        var rows = CountRows(handle, length);
        _counts[file.FullName] = (length, File.GetLastWriteTimeUtc(file.FullName), rows);
        return rows;
    }

    /// <summary>
    /// Appends <paramref name="lines"/> (complete rows, each ending in <c>\n</c>) durably; returns the
    /// 0-based row index of the first one (the number of non-blank lines before the append).
    /// </summary>
    public async Task<long> AppendAsync(string fullPath, ReadOnlyMemory<byte> lines, int lineCount, CancellationToken cancellationToken)
    {
        var writer = _writers.GetOrAdd(fullPath, _ => new SemaphoreSlim(1, 1));
        await writer.WaitAsync(cancellationToken);
        try
        {
            var createdFolders = CreateFolders(Path.GetDirectoryName(fullPath)!);
            var existed = File.Exists(fullPath);
            // O_APPEND: every write lands at the end even if something else appends meanwhile (a hand
            // edit, a writer that ignores the lock), so no row is ever overwritten or split.
            var appendHandle = PosixFiles.OpenForAppend(fullPath);
            await using var stream = appendHandle is not null
                ? new FileStream(appendHandle, FileAccess.Write, bufferSize: 0)
                : new FileStream(fullPath, new FileStreamOptions
                {
                    Mode = FileMode.Append,
                    Access = FileAccess.Write,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    BufferSize = 0,
                });
            await LockAsync(stream, fullPath, cancellationToken);
            // Kept open until the write is durable: closing any descriptor of the file would drop the
            // process's POSIX record lock.
            using var reader = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(reader);
            var before = _counts.TryGetValue(fullPath, out var cached) && cached.Length == length && cached.WrittenUtc == File.GetLastWriteTimeUtc(fullPath)
                ? cached.Rows
                : CountRows(reader, length);

            var payload = lines;
            if (length > 0 && LastByte(reader, length) != (byte)'\n')
            {
                var joined = new byte[lines.Length + 1];
                joined[0] = (byte)'\n';
                lines.CopyTo(joined.AsMemory(1));
                payload = joined;
            }
            try
            {
                if (appendHandle is null) stream.Seek(0, SeekOrigin.End);
                stream.Write(payload.Span); // one write(2) of whole lines
                stream.Flush(flushToDisk: true);
            }
            catch
            {
                // Nothing was acknowledged: leave no partial row behind.
                try { RandomAccess.SetLength(stream.SafeFileHandle, length); stream.Flush(flushToDisk: true); }
                catch (IOException) { }
                throw;
            }
            if (!existed) PosixFiles.FlushFolder(Path.GetDirectoryName(fullPath)!);
            foreach (var folder in createdFolders) PosixFiles.FlushFolder(Path.GetDirectoryName(folder)!);
            _counts[fullPath] = (length + payload.Length, File.GetLastWriteTimeUtc(fullPath), before + lineCount);
            return before;
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Creates the missing folders of <paramref name="folder"/>; returns the ones created, deepest first.</summary>
    private static List<string> CreateFolders(string folder)
    {
        var missing = new List<string>();
        for (var current = folder; !Directory.Exists(current); current = Path.GetDirectoryName(current)!) missing.Add(current);
        if (missing.Count > 0) Directory.CreateDirectory(folder);
        return missing;
    }

    /// <summary>
    /// An exclusive record lock on the whole file, against another process appending the same way
    /// (in-process writers are already serialized). The lock is non-blocking in .NET, so it is retried.
    /// </summary>
    private static async Task LockAsync(FileStream stream, string fullPath, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsMacOS()) return; // .NET has no range locks there
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                stream.Lock(0, long.MaxValue);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, cancellationToken);
            }
            catch (IOException error)
            {
                throw new DatasetBusyException(fullPath, error);
            }
        }
    }

    private static byte LastByte(SafeFileHandle handle, long length)
    {
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(handle, last, length - 1) == 1 ? last[0] : (byte)'\n';
    }

    /// <summary>Lines whose trimmed content is non-empty (JavaScript <c>trim()</c> whitespace).</summary>
    private static long CountRows(SafeFileHandle handle, long length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ScanBufferBytes);
        try
        {
            long rows = 0, offset = 0;
            var content = false;     // the current line has a non-whitespace ASCII byte
            var nonAscii = new List<byte>();  // the current line's bytes, kept only while it has no ASCII content
            while (offset < length)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - offset)), offset);
                if (read == 0) break;
                offset += read;
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b == (byte)'\n')
                    {
                        if (content || HasContent(nonAscii)) rows++;
                        content = false;
                        nonAscii.Clear();
                    }
                    else if (!content)
                    {
                        if (b >= 0x80) nonAscii.Add(b);
                        else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or 0x0B or 0x0C)) content = true;
                    }
                }
            }
            if (content || HasContent(nonAscii)) rows++;
            return rows;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether non-ASCII bytes hold more than Unicode whitespace (NBSP, BOM, U+2028 ...).</summary>
    private static bool HasContent(List<byte> bytes)
    {
        if (bytes.Count == 0) return false;
        var text = System.Text.Encoding.UTF8.GetString(bytes.ToArray());
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '\uFEFF') return true;
        }
        return false;
    }
}

/// <summary>Another process held the dataset file's lock for too long.</summary>
public sealed class DatasetBusyException(string path, Exception inner) : IOException($"Dataset file {path} is locked by another writer", inner);
