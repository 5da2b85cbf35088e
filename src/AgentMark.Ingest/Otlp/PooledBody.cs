using System.Buffers;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// A request body held in a buffer rented from <see cref="ArrayPool{T}.Shared"/>. Dispose it once the
/// decoders are done; <see cref="Memory"/> must not be used afterwards.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    internal PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlyMemory<byte> Memory =>
        _buffer is { } buffer ? buffer.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(PooledBody));

    public int Length => _length;

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
