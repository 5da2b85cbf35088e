namespace AgentMark.Templates.Bundling;

/// <summary>
/// Where the bundler reads components and schema files. Implementations confine reads to the
/// templates root; a refused or failed read throws <see cref="TemplateFileException"/>.
/// </summary>
public interface ITemplateFileSource
{
    /// <summary>Reads a file given by an absolute path.</summary>
    string Read(string absolutePath);

    /// <summary>How a path is shown in messages (root-relative, so no server path leaks).</summary>
    string DisplayPath(string absolutePath);
}

/// <summary>A file could not be read (missing, outside the root, too large, not text).</summary>
public sealed class TemplateFileException(string message) : Exception(message);

/// <summary>Reads files under one root directory, refusing anything that resolves outside it.</summary>
public sealed class ConfinedFileSource : ITemplateFileSource
{
    public const long MaxFileBytes = 1024 * 1024;

    private readonly string _root;
    private readonly string _rootWithSeparator;

    public ConfinedFileSource(string root)
    {
        _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        _rootWithSeparator = _root + Path.DirectorySeparatorChar;
    }

    public string Root => _root;

    public bool IsInside(string absolutePath)
    {
        var full = Path.GetFullPath(absolutePath);
        return full == _root || full.StartsWith(_rootWithSeparator, StringComparison.Ordinal);
    }

    public string Read(string absolutePath)
    {
        var full = Path.GetFullPath(absolutePath);
        if (!IsInside(full)) throw new TemplateFileException("Access denied: import path outside allowed directory");
        var info = new FileInfo(full);
        if (!info.Exists) throw new TemplateFileException("file not found");
        // Symlinks must not lead out of the root either.
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target && !IsInside(target.FullName))
            throw new TemplateFileException("Access denied: import path outside allowed directory");
        if (info.Length > MaxFileBytes) throw new TemplateFileException($"file too large ({info.Length} bytes, limit {MaxFileBytes})");
        return TemplateText.Decode(File.ReadAllBytes(full));
    }

    public string DisplayPath(string absolutePath)
    {
        var full = Path.GetFullPath(absolutePath);
        return IsInside(full) ? Path.GetRelativePath(_root, full).Replace('\\', '/') : full;
    }
}

/// <summary>Decodes template bytes: UTF-8 (BOM dropped); binary content is refused.</summary>
public static class TemplateText
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) >= 0) throw new TemplateFileException("binary file (contains NUL bytes)");
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new TemplateFileException("file is not valid UTF-8 text");
        }
    }
}
