using AgentMark.Core.Spans;
using AgentMark.Storage.Embedded;
using AgentMark.Storage.Experiments;

namespace AgentMark.Storage.Tests;

/// <summary>
/// The experiment reads of templates-and-evals §7, written once for every backend that implements
/// <see cref="IExperimentStore"/> and <see cref="IScoreStore"/> next to its trace store.
/// </summary>
public abstract class ExperimentStoreContract() : StoreContract("experiments")
{
    private IExperimentStore Experiments => (IExperimentStore)Store;

    private Task AddScoreAsync(string traceId, string name, double score) =>
        ((IScoreStore)Store).AddScoresAsync("local", [new NewScore { ResourceId = traceId, Name = name, Score = score, Source = "experiment" }], CancellationToken.None);

    private static SpanRecord RunRoot(string trace, string run, long startMs = 0, long durationMs = 100, string? parent = null,
        string runName = "", string prompt = "", string key = "", string tree = "", string datasetInput = "", string? input = null)
    {
        var span = SpanFactory.Span(trace, trace + "-root", parent: parent, startOffsetMs: startMs, durationMs: durationMs, datasetRunId: run, input: input);
        span.DatasetRunName = runName;
        span.PromptName = prompt;
        span.ExperimentKey = key;
        span.SourceTreeHash = tree;
        span.DatasetInput = datasetInput;
        return span;
    }

    private static SpanRecord ModelCall(string trace, string id, long startMs, double cost, long tokens, string output, string prompt = "")
    {
        var span = SpanFactory.Span(trace, id, parent: trace + "-root", startOffsetMs: startMs, type: SpanTypes.Generation, model: "gpt-4o",
            inputTokens: tokens, cost: cost, output: output);
        span.PromptName = prompt;
        return span;
    }

    [Fact]
    public async Task Aggregates_follow_the_definitions()
    {
        await Append(
            RunRoot("t1", "run", startMs: 0, durationMs: 100, parent: "", runName: "", prompt: "root-prompt"),
            ModelCall("t1", "m1", 10, 0.5, 10, "first"),
            ModelCall("t1", "m2", 20, 0.25, 5, "last", prompt: "b-prompt"),
            RunRoot("t2", "run", startMs: 50, durationMs: 201, runName: "named later"),
            RunRoot("t3", "run", startMs: 40, durationMs: 0, runName: "named first"),
            // A trace of the run whose root is not a run root: its scores still count in avgScore.
            SpanFactory.Span("t4", "t4-root"), SpanFactory.Span("t4", "t4-child", parent: "t4-root", datasetRunId: "run"));
        await AddScoreAsync("t1", "accuracy", 1);
        await AddScoreAsync("t4", "accuracy", 0);

        var page = await Experiments.ListExperimentsAsync(new ExperimentQuery("local"), CancellationToken.None);
        var run = Assert.Single(page.Items);
        Assert.Equal("named first", run.Name);
        Assert.Equal("b-prompt", run.PromptName);
        Assert.Equal(3, run.ItemCount);
        Assert.Equal(301 / 3.0, run.AvgLatencyMs, 9);
        Assert.Equal(0.75, run.TotalCost, 12);
        Assert.Equal(15, run.TotalTokens);
        Assert.Equal(0.5, run.AvgScore);

        var detail = await Experiments.GetExperimentAsync("local", "run", CancellationToken.None);
        Assert.Equal(["t1", "t3", "t2"], detail!.Items.Select(i => i.TraceId));
        Assert.Equal("last", detail.Items[0].Output);
        Assert.Equal(15, detail.Items[0].Tokens);
        Assert.Equal("step", detail.Items[0].ItemName); // no item name: the root span name
        Assert.Null(await Experiments.GetExperimentAsync("local", "nope", CancellationToken.None));
        Assert.Null(await Experiments.GetExperimentAsync("other-app", "run", CancellationToken.None));
    }

    [Fact]
    public async Task The_root_prompt_name_is_the_fallback_and_filters_apply_to_derived_values()
    {
        await Append(RunRoot("t1", "r1", prompt: "root-prompt"), RunRoot("t2", "r2"));
        var all = await Experiments.ListExperimentsAsync(new ExperimentQuery("local"), CancellationToken.None);
        Assert.Equal("root-prompt", all.Items.Single(e => e.Id == "r1").PromptName);
        var filtered = await Experiments.ListExperimentsAsync(new ExperimentQuery("local") { PromptName = "root-prompt" }, CancellationToken.None);
        Assert.Equal(["r1"], filtered.Items.Select(e => e.Id));
        Assert.Equal(1, filtered.Total);
        var none = await Experiments.ListExperimentsAsync(new ExperimentQuery("local") { CreatedBeforeMs = 1 }, CancellationToken.None);
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task Baseline_reads_dataset_input_else_input_and_only_its_key()
    {
        await Append(
            RunRoot("t1", "old", key: "k", tree: "tree-a", datasetInput: """{"q":1}"""),
            RunRoot("t2", "old", startMs: 10, key: "k", tree: "tree-a", input: """[{"role":"user","content":"x"}]"""),
            RunRoot("t3", "other-key", key: "k2", tree: "tree-b"));
        await AddScoreAsync("t1", "s", 0.25);
        var baseline = await Experiments.GetBaselineAsync("local", "k", "tree-b", CancellationToken.None);
        Assert.NotNull(baseline);
        Assert.Equal(("old", "tree-a", false), (baseline.RunId, baseline.TreeHash, baseline.MatchedExactCommit));
        Assert.Equal(["""{"q":1}""", """[{"role":"user","content":"x"}]"""], baseline.Items.Select(i => i.InputText));
        Assert.Equal(0.25, Assert.Single(baseline.Items[0].Scores).Score);
        Assert.Null(await Experiments.GetBaselineAsync("local", "missing", "tree-a", CancellationToken.None));
    }

    [Fact]
    public async Task Spans_are_found_by_id_alone_most_recent_first()
    {
        await Append(SpanFactory.Span("t1", "shared", startOffsetMs: 0, output: "old"), SpanFactory.Span("t2", "shared", startOffsetMs: 5, output: "new"),
            SpanFactory.Span("t3", "single", output: "one"));
        var found = await Experiments.FindSpansByIdAsync("local", ["shared", "single", "missing"], CancellationToken.None);
        Assert.Equal(["shared", "single"], found.Keys.Order());
        Assert.Equal("new", found["shared"].Output);
        Assert.Empty(await Experiments.FindSpansByIdAsync("other-app", ["shared"], CancellationToken.None));
    }
}

public sealed class SqliteExperimentStoreTests : ExperimentStoreContract
{
    protected override ITraceStore Open(string folder) => new SqliteTraceStore(folder);
}
