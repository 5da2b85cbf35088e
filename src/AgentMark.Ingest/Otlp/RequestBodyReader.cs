using System.Buffers;
using System.IO.Compression;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// Reads a request body into a pooled buffer, inflating <c>gzip</c>/<c>deflate</c> as it streams and
/// enforcing the size limit on the decompressed bytes (ingestion §1.3, §1.4).
/// </summary>
public static class RequestBodyReader
{
    /// <summary>The default limit on a decompressed body (ingestion §1.4: 10 MiB).</summary>
    public const int DefaultMaxBytes = 10 * 1024 * 1024;

    private const int InitialBufferBytes = 16 * 1024;

    private enum Coding { Identity, Gzip, Deflate }

    /// <summary>
    /// Reads <paramref name="body"/> to its end. An empty body is returned as is (the decoders decide).
    /// </summary>
    /// <param name="contentEncoding">The <c>Content-Encoding</c> header: absent/<c>identity</c>, <c>gzip</c>
    /// or <c>deflate</c> (zlib format, as HTTP defines it). A list may add <c>identity</c> entries; two real
    /// codings stacked are refused like an unknown one (<c>415 unsupported_content_encoding</c>).</param>
    /// <param name="maxBytes">Limit on the decompressed size; one byte more is <c>413 payload_too_large</c>.
    /// Reading stops there, so a gzip bomb costs at most this much.</param>
    /// <param name="decompressFailureCode">The 400 code for corrupt or truncated compressed data
    /// (<c>invalid_otlp_payload</c> for JSON, <c>protobuf_decode_failed</c> for protobuf).</param>
    public static async Task<PooledBody> ReadAsync(
        Stream body, string? contentEncoding, int maxBytes, string decompressFailureCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1);

        var coding = ParseCoding(contentEncoding);
        if (coding == Coding.Identity) return await ReadToLimitAsync(body, maxBytes, ct).ConfigureAwait(false);

        // The compressed input passes through a tail recorder: the trailer is checked against the
        // output below, because .NET's inflaters end silently on a truncated stream.
        var tail = new TailRecordingStream(body);
        Stream inflater = coding == Coding.Gzip
            ? new GZipStream(tail, CompressionMode.Decompress, leaveOpen: true)
            : new ZLibStream(tail, CompressionMode.Decompress, leaveOpen: true);

        PooledBody result;
        try
        {
            result = await ReadToLimitAsync(inflater, maxBytes, ct).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw DecompressFailure(decompressFailureCode, coding, e.Message);
        }
        finally
        {
            await inflater.DisposeAsync().ConfigureAwait(false);
        }

        // .NET's own GZipStream/ZLibStream write nothing at all for an empty payload, so an empty
        // compressed body is an empty body.
        if (tail.BytesRead == 0) return result;

        var output = result.Memory.Span;
        var complete = coding == Coding.Gzip
            ? Checksums.GzipTrailerMatches(tail.Tail(8), output)
            : tail.BytesRead >= 6 && Checksums.ZlibTrailerMatches(tail.Tail(4), output);
        if (!complete)
        {
            result.Dispose();
            throw DecompressFailure(decompressFailureCode, coding, "the compressed stream is truncated or has trailing data");
        }
        return result;
    }

    private static IngestException DecompressFailure(string code, Coding coding, string detail) =>
        new(400, code, $"Failed to decompress {(coding == Coding.Gzip ? "gzip" : "deflate")} request body: {detail}");

    private static Coding ParseCoding(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return Coding.Identity;
        var result = Coding.Identity;
        foreach (var range in header.AsSpan().Split(','))
        {
            var token = header.AsSpan(range).Trim(" \t");
            if (token.IsEmpty || token.Equals("identity", StringComparison.OrdinalIgnoreCase)) continue;
            // RFC 9110 §8.4.1.3: a recipient should treat x-gzip as gzip.
            var coding = token.Equals("gzip", StringComparison.OrdinalIgnoreCase) || token.Equals("x-gzip", StringComparison.OrdinalIgnoreCase) ? Coding.Gzip
                : token.Equals("deflate", StringComparison.OrdinalIgnoreCase) ? Coding.Deflate
                : throw new IngestException(415, "unsupported_content_encoding",
                    $"Unsupported Content-Encoding '{token}'; supported: gzip, deflate, identity");
            if (result != Coding.Identity)
            {
                throw new IngestException(415, "unsupported_content_encoding",
                    $"Unsupported Content-Encoding '{header}': more than one compression layer");
            }
            result = coding;
        }
        return result;
    }

    /// <summary>Copies <paramref name="source"/> into a pooled buffer; never reads more than maxBytes + 1.</summary>
    private static async Task<PooledBody> ReadToLimitAsync(Stream source, int maxBytes, CancellationToken ct)
    {
        var pool = ArrayPool<byte>.Shared;
        // One byte past the limit is enough to know the body is too large.
        var readLimit = maxBytes + 1;
        var buffer = pool.Rent(Math.Min(InitialBufferBytes, readLimit));
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var grown = pool.Rent((int)Math.Min((long)buffer.Length * 2, readLimit));
                    buffer.AsSpan(0, total).CopyTo(grown);
                    pool.Return(buffer);
                    buffer = grown;
                }
                var want = Math.Min(buffer.Length, readLimit) - total;
                var n = await source.ReadAsync(buffer.AsMemory(total, want), ct).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
                if (total > maxBytes)
                {
                    throw new IngestException(413, "payload_too_large",
                        $"Request body exceeds the limit of {maxBytes} bytes after decompression");
                }
            }
            var result = new PooledBody(buffer, total);
            buffer = null!;
            return result;
        }
        finally
        {
            if (buffer is not null) pool.Return(buffer);
        }
    }

    /// <summary>A read-only pass-through that counts bytes and remembers the last few read.</summary>
    private sealed class TailRecordingStream(Stream inner) : Stream
    {
        private const int TailBytes = 8;
        private readonly byte[] _tail = new byte[TailBytes];
        private int _tailLength;

        public long BytesRead { get; private set; }

        public ReadOnlySpan<byte> Tail(int count) =>
            _tailLength < count ? ReadOnlySpan<byte>.Empty : _tail.AsSpan(_tailLength - count, count);

        private void Record(ReadOnlySpan<byte> data)
        {
            BytesRead += data.Length;
            if (data.Length >= TailBytes)
            {
                data[^TailBytes..].CopyTo(_tail);
                _tailLength = TailBytes;
                return;
            }
            var keep = Math.Min(_tailLength, TailBytes - data.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + data.Length;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Record(buffer[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Record(buffer.Span[..n]);
            return n;
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
