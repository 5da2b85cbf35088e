using System.Buffers.Binary;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// The checksums that close gzip (CRC-32) and zlib (Adler-32) streams. .NET's decompressors end
/// silently on a truncated stream, so <see cref="RequestBodyReader"/> checks the trailer itself.
/// </summary>
internal static class Checksums
{
    /// <summary>CRC-32 (ISO-HDLC, the gzip one).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data) => System.IO.Hashing.Crc32.HashToUInt32(data);

    public static uint Adler32(ReadOnlySpan<byte> data) => System.IO.Hashing.Adler32.HashToUInt32(data);

    /// <summary>
    /// True when <paramref name="trailer"/> (the stream's final 8 bytes: CRC-32 and size of the last gzip
    /// member, little-endian) closes <paramref name="output"/>. zlib verifies the trailer of every member
    /// it completes, so this only has to tell a complete last member from a truncated one, whose final
    /// bytes are arbitrary and match with chance about 2^-32.
    /// </summary>
    public static bool GzipTrailerMatches(ReadOnlySpan<byte> trailer, ReadOnlySpan<byte> output)
    {
        if (trailer.Length != 8) return false;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        // The output never exceeds the size limit (< 4 GiB), so ISIZE is the member's exact length.
        // One member (the usual case): its size is the whole output, no checksum pass needed.
        if (size == (uint)output.Length) return true;
        if (size > (uint)output.Length) return false;
        // Concatenated members: the last one is the output's tail; its CRC tells it from noise.
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        return Crc32(output[(output.Length - (int)size)..]) == crc;
    }

    /// <summary>True when the zlib trailer (big-endian Adler-32 of all output) matches.</summary>
    public static bool ZlibTrailerMatches(ReadOnlySpan<byte> trailer, ReadOnlySpan<byte> output) =>
        trailer.Length == 4 && BinaryPrimitives.ReadUInt32BigEndian(trailer) == Adler32(output);
}
