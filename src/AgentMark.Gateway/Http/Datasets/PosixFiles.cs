using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>
/// The two file-system calls .NET does not offer: opening a file with <c>O_APPEND</c> (.NET's
/// <see cref="FileMode.Append"/> only seeks to the end once, at open) and fsync of a folder (so a
/// newly created file's name survives a power loss, not only its contents). Linux only; elsewhere the
/// callers fall back to what .NET offers.
/// </summary>
internal static class PosixFiles
{
    // Linux values (x86-64 and arm64 share them).
    private const int O_RDONLY = 0, O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;
    private const int CreateMode = 420; // 0644

    /// <summary>
    /// A write handle whose every write lands at the current end of the file, atomically with respect
    /// to other appenders (on Linux even a positioned write does); null when not on Linux.
    /// </summary>
    public static SafeFileHandle? OpenForAppend(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, CreateMode);
        if (fd < 0) throw new IOException($"Cannot open {path} for appending (errno {Marshal.GetLastPInvokeError()})");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(folder, O_RDONLY | O_CLOEXEC, 0);
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
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
