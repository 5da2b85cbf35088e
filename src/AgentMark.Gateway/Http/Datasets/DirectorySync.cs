using System.Runtime.InteropServices;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>
/// fsync of a folder, so a newly created file's (or folder's) name survives a power loss, not only its
/// contents. .NET cannot open a folder as a file, so this calls the C library on Unix; elsewhere
/// (Windows flushes metadata with the file) it does nothing.
/// </summary>
internal static class DirectorySync
{
    public static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(folder, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of folder {folder} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code in this project.
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
