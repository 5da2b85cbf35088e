using AgentMark.Core.Spans;
using Xunit.Sdk;

namespace AgentMark.Normalization.Tests.Support;

/// <summary>The comparison helper must itself be able to fail, or every record test would pass vacuously.</summary>
public sealed class RecordAssertTests
{
    [Fact]
    public void ReportsADifferentColumn()
    {
        var ex = Assert.Throws<XunitException>(() => RecordAssert.Equal(new SpanRecord { Tags = "[]" }, new SpanRecord { Tags = "[\"a\"]" }));
        Assert.Contains("Tags", ex.Message);
    }

    [Fact]
    public void ReportsADifferentCost()
    {
        Assert.Throws<XunitException>(() => RecordAssert.Equal(new SpanRecord { Cost = 0.000285 }, new SpanRecord { Cost = 0.000286 }));
    }

    [Fact]
    public void AcceptsEqualRecords() => RecordAssert.Equal(new SpanRecord { Model = "m" }, new SpanRecord { Model = "m" });
}
