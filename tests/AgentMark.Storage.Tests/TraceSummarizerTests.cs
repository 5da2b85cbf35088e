using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

public sealed class TraceSummarizerTests
{
    [Fact]
    public void Trace_io_prefers_the_root_then_first_and_last_generation()
    {
        var spans = new[]
        {
            SpanFactory.Span("t", "root", startOffsetMs: 0),
            SpanFactory.Span("t", "g1", parent: "root", startOffsetMs: 1, type: SpanTypes.Generation, input: "in-1", output: "out-1"),
            SpanFactory.Span("t", "g2", parent: "root", startOffsetMs: 2, type: SpanTypes.Generation, input: "in-2", output: "out-2"),
            SpanFactory.Span("t", "tool", parent: "root", startOffsetMs: 3, input: "tool-in", output: "tool-out"),
        };
        Assert.Equal(("in-1", "out-2"), TraceSummarizer.DeriveIo(spans));
        spans[0].Output = "root-out";
        Assert.Equal(("in-1", "root-out"), TraceSummarizer.DeriveIo(spans));
    }

    [Fact]
    public void Name_prefers_the_greatest_trace_name_of_top_level_spans()
    {
        var spans = new[]
        {
            SpanFactory.Span("t", "r1", name: "alpha", traceName: ""),
            SpanFactory.Span("t", "r2", name: "beta", traceName: ""),
            SpanFactory.Span("t", "c", parent: "r1", traceName: "zzz child"),
        };
        Assert.Equal("beta", TraceSummarizer.Summarize("t", spans).Name);
        spans[0].TraceName = "named";
        Assert.Equal("named", TraceSummarizer.Summarize("t", spans).Name);
    }

    [Fact]
    public void End_is_the_latest_span_end_not_the_latest_start()
    {
        var spans = new[]
        {
            SpanFactory.Span("t", "r", startOffsetMs: 0, durationMs: 1000),
            SpanFactory.Span("t", "c", parent: "r", startOffsetMs: 10, durationMs: 20),
        };
        var summary = TraceSummarizer.Summarize("t", spans);
        Assert.Equal(Math.Floor(SpanRecord.NanosToMs(SpanFactory.BaseNs) + 1000), summary.EndMs);
        Assert.Equal(1000, summary.LatencyMs);
    }
}
