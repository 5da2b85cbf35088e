using System.IO.Compression;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Tests;

/// <summary>The trailer checks behind truncation detection (RequestBodyReader).</summary>
public sealed class ChecksumsTests
{
    [Fact]
    public void Known_check_values()
    {
        Assert.Equal(0xCBF43926u, Checksums.Crc32("123456789"u8));
        Assert.Equal(0u, Checksums.Crc32([]));
        Assert.Equal(0x11E60398u, Checksums.Adler32("Wikipedia"u8));
        Assert.Equal(1u, Checksums.Adler32([]));
    }

    [Fact]
    public void Adler32_matches_zlib_on_large_input()
    {
        // Longer than zlib's 5552-byte block, with bytes that push the sums high.
        var data = Enumerable.Repeat((byte)0xFF, 100_000).ToArray();
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        var trailer = ms.ToArray()[^4..];
        Assert.True(Checksums.ZlibTrailerMatches(trailer, data));
        Assert.False(Checksums.ZlibTrailerMatches(trailer, data[1..]));
    }

    [Fact]
    public void Gzip_trailer_of_a_later_member_is_checked_by_crc()
    {
        var last = "second member"u8.ToArray();
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(last);
        var trailer = ms.ToArray()[^8..];
        byte[] output = [.. "first member "u8, .. last];
        Assert.True(Checksums.GzipTrailerMatches(trailer, output));
        output[^1] ^= 1;
        Assert.False(Checksums.GzipTrailerMatches(trailer, output));
        Assert.False(Checksums.GzipTrailerMatches(trailer, last[..5]));
    }
}
