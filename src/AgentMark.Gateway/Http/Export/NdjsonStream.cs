using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentMark.Gateway.Http.Export;

/// <summary>
/// JSON lines written straight into the response's <see cref="PipeWriter"/>, flushed every
/// ~64 KB: the export streams at the client's pace with flat memory however many rows it has.
/// </summary>
internal sealed class NdjsonStream : IAsyncDisposable
{
    public const int FlushThreshold = 64 * 1024;

    /// <summary>Export files are not embedded in HTML: keep non-ASCII text as UTF-8, as JSON.stringify does.</summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly PipeWriter _pipe;
    private long _unflushed;

    public NdjsonStream(PipeWriter pipe)
    {
        _pipe = pipe;
        Json = new Utf8JsonWriter(pipe, Options);
    }

    /// <summary>Write exactly one top-level value, then call <see cref="EndLineAsync"/>.</summary>
    public Utf8JsonWriter Json { get; }

    public ValueTask EndLineAsync(CancellationToken cancellationToken)
    {
        Json.Flush();
        _unflushed += Json.BytesCommitted + 1;
        Json.Reset(); // ready for the next top-level value, same output
        _pipe.GetSpan(1)[0] = (byte)'\n';
        _pipe.Advance(1);
        if (_unflushed < FlushThreshold) return ValueTask.CompletedTask;
        _unflushed = 0;
        return PipeFlush.FlushAsync(_pipe, cancellationToken);
    }

    public ValueTask DisposeAsync() => Json.DisposeAsync();
}

internal static class PipeFlush
{
    /// <summary>Flushes; a client that went away ends the export.</summary>
    public static async ValueTask FlushAsync(PipeWriter pipe, CancellationToken cancellationToken)
    {
        var result = await pipe.FlushAsync(cancellationToken);
        if (result.IsCompleted || result.IsCanceled) throw new OperationCanceledException("The client stopped reading the export.");
    }
}
