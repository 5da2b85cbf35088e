using AgentMark.Storage.Embedded;

namespace AgentMark.Storage.Tests;

public sealed class SqliteScoreStoreTests : ScoreStoreContract
{
    protected override ITraceStore Open(string folder, TimeProvider time) => new SqliteTraceStore(folder, time: time);

    [Fact]
    public async Task Score_writes_wait_for_the_span_writer_instead_of_failing()
    {
        // Span batches and score batches race for SQLite's single write lock.
        var spans = Enumerable.Range(0, 20).Select(i => Store.AppendAsync(
            Enumerable.Range(0, 500).Select(j => SpanFactory.Span($"t{i}", $"s{j}")).ToArray(), CancellationToken.None));
        var scores = Enumerable.Range(0, 20).Select(i => Add("local", Enumerable.Range(0, 50).Select(j => Score($"t{i}")).ToArray()));
        await Task.WhenAll(spans.Concat(scores));
        Assert.Equal(1000, (await Scores.ListScoresAsync(new ScoreQuery("local"), CancellationToken.None)).Total);
    }
}
