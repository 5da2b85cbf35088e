using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using AgentMark.Core.Json;
using AgentMark.Core.Spans;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Export;

/// <summary>
/// ExportRows as RFC 4180 CSV written straight into the response: a header row, CRLF line ends,
/// a field quoted when it holds a comma, a quote, CR or LF (embedded quotes doubled), null as an
/// empty field, arrays and objects JSON-encoded inside their cell.
/// </summary>
internal sealed class CsvExportWriter : IAsyncDisposable
{
    private static readonly SearchValues<char> Special = SearchValues.Create(",\"\r\n");
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly PipeWriter _pipe;
    private readonly bool _includeIo;
    private readonly ArrayBufferWriter<byte> _cell = new(1024);
    private readonly Utf8JsonWriter _json;
    private bool _rowStarted;
    private long _unflushed;

    public CsvExportWriter(PipeWriter pipe, bool includeIo)
    {
        _pipe = pipe;
        _includeIo = includeIo;
        _json = new Utf8JsonWriter(_cell, JsonOptions);
    }

    public ValueTask WriteHeaderAsync(CancellationToken cancellationToken)
    {
        foreach (var name in ExportColumns.Summary) Text(name);
        if (_includeIo) foreach (var name in ExportColumns.Io) Text(name);
        return EndRowAsync(cancellationToken);
    }

    public ValueTask WriteRowAsync(ExportedSpan row, CancellationToken cancellationToken)
    {
        var s = row.Span;
        Text(s.TraceId);
        Text(s.SpanId);
        Text(s.ParentSpanId);
        Text(row.TraceName);
        Text(s.SpanName);
        Text(ExportRowJson.TypeOf(s));
        Text(SpanStatus.Name(s.StatusCode));
        Text(s.StatusMessage);
        Text(s.Model);
        Text(WireFormat.IsoFromNanos(s.StartTimeUnixNano));
        Number(s.Duration);
        Number(s.InputTokens);
        Number(s.OutputTokens);
        Number(SpanWire.Tokens(s));
        Number(s.ReasoningTokens);
        Number(s.Cost);
        Text(s.UserId);
        Text(s.SessionId);
        Text(s.PromptName);
        ExportRowJson.Tags(BeginJson(), s.Tags);
        EndJson();
        ExportRowJson.Metadata(BeginJson(), s.Metadata);
        EndJson();
        ExportRowJson.Scores(BeginJson(), row.Scores);
        EndJson();
        if (_includeIo)
        {
            Text(s.Input);
            Text(s.Output);
            Text(s.OutputObject);
            Text(s.ToolCalls);
        }
        return EndRowAsync(cancellationToken);
    }

    private void Separator()
    {
        if (_rowStarted) Byte((byte)',');
        _rowStarted = true;
    }

    private void Text(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value)) return;
        var rest = value.AsSpan();
        if (rest.IndexOfAny(Special) < 0)
        {
            Utf8Text(rest);
            return;
        }
        Byte((byte)'"');
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            Utf8Text(rest[..(quote + 1)]);
            Byte((byte)'"');
            rest = rest[(quote + 1)..];
        }
        Utf8Text(rest);
        Byte((byte)'"');
    }

    private void Number(long value)
    {
        Separator();
        Utf8Formatter.TryFormat(value, _pipe.GetSpan(20), out var written);
        Advance(written);
    }

    /// <summary>ECMAScript number text, as the JSON of the other formats would read in JavaScript.</summary>
    private void Number(double value)
    {
        Separator();
        Span<char> text = stackalloc char[JsFormat.MaxNumberLength];
        if (value == 0 || !double.IsFinite(value))
        {
            Byte((byte)'0');
            return;
        }
        JsFormat.FormatFiniteNumber(value, text, out var length);
        Utf8Text(text[..length]);
    }

    private Utf8JsonWriter BeginJson()
    {
        _cell.ResetWrittenCount();
        _json.Reset(_cell);
        return _json;
    }

    /// <summary>A JSON cell always holds quotes, so it is always quoted.</summary>
    private void EndJson()
    {
        _json.Flush();
        Separator();
        Byte((byte)'"');
        var rest = _cell.WrittenSpan;
        int quote;
        while ((quote = rest.IndexOf((byte)'"')) >= 0)
        {
            Bytes(rest[..(quote + 1)]);
            Byte((byte)'"');
            rest = rest[(quote + 1)..];
        }
        Bytes(rest);
        Byte((byte)'"');
    }

    private ValueTask EndRowAsync(CancellationToken cancellationToken)
    {
        Bytes("\r\n"u8);
        _rowStarted = false;
        if (_unflushed < NdjsonStream.FlushThreshold) return ValueTask.CompletedTask;
        _unflushed = 0;
        return PipeFlush.FlushAsync(_pipe, cancellationToken);
    }

    /// <summary>UTF-16 → UTF-8 in chunks, so a megabyte-long input never needs one contiguous buffer.</summary>
    private void Utf8Text(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            var destination = _pipe.GetSpan(Math.Min(Math.Max(chars.Length * 3, 4), 16 * 1024));
            var status = Utf8.FromUtf16(chars, destination, out var read, out var written);
            Advance(written);
            chars = chars[read..];
            if (status == OperationStatus.Done) break;
        }
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        _pipe.Write(bytes);
        _unflushed += bytes.Length;
    }

    private void Byte(byte value)
    {
        _pipe.GetSpan(1)[0] = value;
        Advance(1);
    }

    private void Advance(int count)
    {
        _pipe.Advance(count);
        _unflushed += count;
    }

    public ValueTask DisposeAsync() => _json.DisposeAsync();
}
