using System.Globalization;
using System.Runtime.CompilerServices;

namespace AgentMark.Normalization.Json;

/// <summary>
/// A growable char buffer for writing JSON text: a leaner <see cref="System.Text.StringBuilder"/> (one
/// contiguous array, no chunk bookkeeping), reused per thread through <see cref="JsJson.RentBuilder"/>.
/// The stored JSON columns are several kilobytes per span, so the per-append overhead matters.
/// </summary>
internal sealed class JsonTextBuilder
{
    private char[] _buffer;
    private int _length;

    public JsonTextBuilder(int capacity = 1024) => _buffer = new char[Math.Max(capacity, 16)];

    public int Length => _length;

    public int Capacity => _buffer.Length;

    public void Clear() => _length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public JsonTextBuilder Append(char c)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = c;
        return this;
    }

    public JsonTextBuilder Append(string? s) => s is null ? this : Append(s.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public JsonTextBuilder Append(ReadOnlySpan<char> s)
    {
        if (_length + s.Length > _buffer.Length) Grow(s.Length);
        s.CopyTo(_buffer.AsSpan(_length));
        _length += s.Length;
        return this;
    }

    public JsonTextBuilder Append(long value)
    {
        if (_length + 20 > _buffer.Length) Grow(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    public JsonTextBuilder Append(int value) => Append((long)value);

    /// <summary>The text written so far (valid until the next write).</summary>
    public ReadOnlySpan<char> WrittenSpan => _buffer.AsSpan(0, _length);

    private void Grow(int needed)
    {
        var size = Math.Max(_buffer.Length * 2, _length + needed);
        Array.Resize(ref _buffer, size);
    }

    public override string ToString() => new(_buffer, 0, _length);
}
