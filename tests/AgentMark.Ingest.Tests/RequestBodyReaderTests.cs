using System.IO.Compression;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Tests;

public sealed class RequestBodyReaderTests
{
    private const string Code = "invalid_otlp_payload";
    private static readonly byte[] Payload = TestData.Utf8(string.Concat(Enumerable.Repeat("{\"resourceSpans\":[]} ", 5000)));

    private static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, level, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] Zlib(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    private static async Task<byte[]> Read(Stream body, string? encoding, int max = RequestBodyReader.DefaultMaxBytes, string code = Code)
    {
        using var result = await RequestBodyReader.ReadAsync(body, encoding, max, code, CancellationToken.None);
        return result.Memory.ToArray();
    }

    private static Task<byte[]> Read(byte[] body, string? encoding, int max = RequestBodyReader.DefaultMaxBytes, string code = Code) =>
        Read(new MemoryStream(body), encoding, max, code);

    private static async Task<IngestException> Fails(Func<Task> action, int status, string code)
    {
        var e = await Assert.ThrowsAsync<IngestException>(action);
        Assert.Equal(status, e.Status);
        Assert.Equal(code, e.Code);
        return e;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("identity")]
    [InlineData(" Identity ")]
    public async Task Uncompressed_body_is_returned_as_is(string? encoding)
    {
        Assert.Equal(Payload, await Read(Payload, encoding));
    }

    [Fact]
    public async Task Empty_body_is_allowed()
    {
        Assert.Empty(await Read([], null));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("GZIP")]
    [InlineData("gzip, identity")]
    [InlineData("identity,gzip")]
    [InlineData("x-gzip")]
    public async Task Gzip_is_inflated(string encoding)
    {
        Assert.Equal(Payload, await Read(Gzip(Payload), encoding));
    }

    [Fact]
    public async Task Deflate_means_zlib_and_is_inflated()
    {
        Assert.Equal(Payload, await Read(Zlib(Payload), "deflate"));
    }

    [Fact]
    public async Task Concatenated_gzip_members_are_one_body()
    {
        var first = TestData.Utf8("{\"resourceSpans\":");
        var second = TestData.Utf8("[]}");
        var body = Gzip(first).Concat(Gzip(second)).ToArray();
        Assert.Equal(first.Concat(second).ToArray(), await Read(body, "gzip"));
    }

    [Fact]
    public async Task Concatenated_gzip_with_a_truncated_last_member_is_400()
    {
        var second = Gzip(Payload);
        var body = Gzip(TestData.Utf8("first")).Concat(second[..^8]).ToArray();
        await Fails(() => Read(body, "gzip"), 400, Code);
    }

    [Fact]
    public async Task Gzip_of_an_empty_payload_is_an_empty_body()
    {
        // What the gzip tool writes for empty input: header, empty final block, CRC 0, size 0.
        var gzipTool = Convert.FromHexString("1F8B080000000000000303000000000000000000");
        Assert.Empty(await Read(gzipTool, "gzip"));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Empty_body_declared_compressed_is_an_empty_body(string encoding)
    {
        // .NET's GZipStream and ZLibStream write no bytes at all for an empty payload.
        Assert.Empty(Gzip([]));
        Assert.Empty(await Read([], encoding));
    }

    [Fact]
    public async Task Body_is_read_through_small_reads_and_buffer_growth()
    {
        var big = new byte[300_000];
        new Random(7).NextBytes(big);
        Assert.Equal(big, await Read(new TrickleStream(big, 777), null));
        Assert.Equal(big, await Read(new TrickleStream(Gzip(big), 5), "gzip"));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("compress")]
    [InlineData("gzip, br")]
    [InlineData("gzip, gzip")]
    [InlineData("deflate, gzip")]
    public async Task Unsupported_encodings_are_415(string encoding)
    {
        var e = await Fails(() => Read(Gzip(Payload), encoding), 415, "unsupported_content_encoding");
        Assert.NotEmpty(e.Message);
    }

    [Fact]
    public async Task Uncompressed_body_over_the_limit_is_413_and_at_the_limit_is_fine()
    {
        Assert.Equal(1000, (await Read(new byte[1000], null, max: 1000)).Length);
        await Fails(() => Read(new byte[1001], null, max: 1000), 413, "payload_too_large");
    }

    [Fact]
    public async Task Limit_applies_to_the_decompressed_size()
    {
        var compressed = Gzip(new byte[100_000]);
        Assert.True(compressed.Length < 1000);
        await Fails(() => Read(compressed, "gzip", max: 99_999), 413, "payload_too_large");
        Assert.Equal(100_000, (await Read(compressed, "gzip", max: 100_000)).Length);
    }

    [Fact]
    public async Task Gzip_bomb_stops_reading_at_the_limit()
    {
        // 50 MB of zeros compress to about 50 KB.
        var bomb = Gzip(new byte[50 * 1024 * 1024], CompressionLevel.SmallestSize);
        var stream = new MemoryStream(bomb);
        await Fails(() => Read(stream, "gzip", max: RequestBodyReader.DefaultMaxBytes), 413, "payload_too_large");
        // Only the compressed bytes behind the first ~10 MiB were consumed, not the whole bomb.
        Assert.True(stream.Position < bomb.Length / 2, $"read {stream.Position} of {bomb.Length} compressed bytes");
    }

    [Theory]
    [InlineData("invalid_otlp_payload")]
    [InlineData("protobuf_decode_failed")]
    public async Task Data_that_is_not_gzip_is_400_with_the_callers_code(string code)
    {
        var e = await Fails(() => Read(Payload, "gzip", code: code), 400, code);
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public async Task Truncated_gzip_is_400()
    {
        var gz = Gzip(Payload);
        await Fails(() => Read(gz[..(gz.Length / 2)], "gzip"), 400, Code);
        // Missing only the trailer: all data inflates, the end is still not there.
        await Fails(() => Read(gz[..^4], "gzip"), 400, Code);
        await Fails(() => Read(gz[..5], "gzip"), 400, Code);
    }

    [Fact]
    public async Task Corrupt_gzip_checksum_is_400()
    {
        var gz = Gzip(Payload);
        gz[^6] ^= 0xFF;
        await Fails(() => Read(gz, "gzip"), 400, Code);
    }

    [Fact]
    public async Task Gzip_with_trailing_garbage_is_400()
    {
        var gz = Gzip(Payload).Concat(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }).ToArray();
        await Fails(() => Read(gz, "gzip"), 400, Code);
    }

    [Fact]
    public async Task Truncated_or_bad_deflate_is_400()
    {
        var z = Zlib(Payload);
        await Fails(() => Read(z[..(z.Length / 2)], "deflate"), 400, Code);
        await Fails(() => Read(z[..^2], "deflate"), 400, Code);
        await Fails(() => Read(Payload, "deflate"), 400, Code);
        await Fails(() => Read(z[..3], "deflate"), 400, Code);
    }

    [Fact]
    public async Task Disposed_body_cannot_be_read_and_double_dispose_is_harmless()
    {
        var body = await RequestBodyReader.ReadAsync(new MemoryStream(Payload), null, 1 << 20, Code, CancellationToken.None);
        Assert.Equal(Payload.Length, body.Memory.Length);
        body.Dispose();
        body.Dispose();
        Assert.Throws<ObjectDisposedException>(() => body.Memory);
    }

    [Fact]
    public async Task Cancellation_is_passed_to_the_body_stream()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => RequestBodyReader.ReadAsync(new TrickleStream(Payload, 10), null, 1 << 20, Code, cts.Token));
    }

    /// <summary>A non-seekable stream that hands out at most a few bytes per read, like a slow client.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
