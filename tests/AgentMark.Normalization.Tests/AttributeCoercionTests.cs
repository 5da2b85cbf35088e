using System.Text.Json.Nodes;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Each coercion of ingestion §2.2 on its own.</summary>
public sealed class AttributeCoercionTests
{
    /// <summary>A decoded attribute value in the normalizer's value model.</summary>
    private static object? Js(JsonNode? node) => JsonNodeValues.ToJs(node);

    private static AttributeView View(params (string Key, JsonNode? Value)[] attributes) => new(Map(), Map(attributes));

    [Fact]
    public void NumOnly_AcceptsOnlyNumbers()
    {
        Assert.Equal(12, AttributeCoercion.NumOnly(Js(I(12))));
        Assert.Equal(12.5, AttributeCoercion.NumOnly(Js(D(12.5))));
        Assert.Null(AttributeCoercion.NumOnly(Js(S("12"))));
        Assert.Null(AttributeCoercion.NumOnly(Js(B(true))));
        Assert.Null(AttributeCoercion.NumOnly(Js(Arr(I(1)))));
        Assert.Null(AttributeCoercion.NumOnly(Js(null)));
    }

    [Theory]
    [InlineData("12", 12)]
    [InlineData("12abc", 12)]
    [InlineData("12.9", 12)]          // JSON number, floored
    [InlineData("-1.5", -2)]          // Math.floor, not truncation
    [InlineData("{\"intValue\":7.8}", 7)]
    [InlineData("  42 tokens", 42)]
    [InlineData("1e3", 1000)]         // whole-string JSON number wins over parseInt's "1"
    public void IntLoose_Strings(string text, double expected) => Assert.Equal(expected, AttributeCoercion.IntLoose(Js(S(text))));

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("{\"intValue\":\"7\"}")]
    [InlineData("[1]")]
    [InlineData("\"12\"")]
    public void IntLoose_UnusableStringsAreAbsent(string text) => Assert.Null(AttributeCoercion.IntLoose(Js(S(text))));

    [Fact]
    public void IntLoose_NumbersAreFlooredOtherTypesAbsent()
    {
        Assert.Equal(3, AttributeCoercion.IntLoose(Js(D(3.99))));
        Assert.Equal(5, AttributeCoercion.IntLoose(Js(I(5))));
        Assert.Null(AttributeCoercion.IntLoose(Js(B(true))));
        Assert.Null(AttributeCoercion.IntLoose(Js(Arr(I(1)))));
        Assert.Null(AttributeCoercion.IntLoose(Js(null)));
    }

    [Fact]
    public void FiniteNum_FollowsNumberOfString()
    {
        Assert.Equal(12.5, AttributeCoercion.FiniteNum(Js(S("12.5"))));
        Assert.Equal(0, AttributeCoercion.FiniteNum(Js(S(""))));
        Assert.Equal(0, AttributeCoercion.FiniteNum(Js(S("  "))));
        Assert.Equal(16, AttributeCoercion.FiniteNum(Js(S("0x10"))));
        Assert.Equal(2.5, AttributeCoercion.FiniteNum(Js(D(2.5))));
        Assert.Null(AttributeCoercion.FiniteNum(Js(S("12abc"))));
        Assert.Null(AttributeCoercion.FiniteNum(Js(S("Infinity"))));
        Assert.Null(AttributeCoercion.FiniteNum(Js(D(double.PositiveInfinity))));
        Assert.Null(AttributeCoercion.FiniteNum(Js(D(double.NaN))));
        Assert.Null(AttributeCoercion.FiniteNum(Js(B(true))));
    }

    [Fact]
    public void FloatOrParse_AndIntOrParse()
    {
        Assert.Equal(0.7, AttributeCoercion.FloatOrParse(Js(D(0.7))));
        Assert.Equal(0.7, AttributeCoercion.FloatOrParse(Js(S("0.7abc"))));
        Assert.True(double.IsNaN(AttributeCoercion.FloatOrParse(Js(S("hot")))));
        Assert.True(double.IsNaN(AttributeCoercion.FloatOrParse(Js(B(true)))));
        Assert.Equal(1, AttributeCoercion.FloatOrParse(Js(Arr(S("1"), S("2"))))); // String([1,2]) = "1,2"
        Assert.Equal(256.5, AttributeCoercion.IntOrParse(Js(D(256.5))));         // numbers are not floored
        Assert.Equal(256, AttributeCoercion.IntOrParse(Js(S("256.9"))));
        Assert.True(double.IsNaN(AttributeCoercion.IntOrParse(Js(S("many")))));
    }

    private static readonly TokenKeys Keys = new("in", "prompt", "out", "completion", "total", "reasoning");

    [Fact]
    public void ParseTokens_InputKeyWinsWithoutFallbackEvenWhenUnusable()
    {
        var tokens = AttributeCoercion.ParseTokens(View(("in", S("abc")), ("prompt", I(5)), ("out", I(3))), Keys);
        Assert.Null(tokens.Input);
        Assert.Equal(3, tokens.Output);
        Assert.Null(tokens.Total); // no sum without both parts
    }

    [Fact]
    public void ParseTokens_FallsBackToPromptAndCompletionKeys()
    {
        var tokens = AttributeCoercion.ParseTokens(View(("prompt", S("10")), ("completion", D(4.7))), Keys);
        Assert.Equal(10, tokens.Input);
        Assert.Equal(4, tokens.Output);
        Assert.Equal(14, tokens.Total);
        Assert.Null(tokens.Reasoning);
    }

    [Fact]
    public void ParseTokens_ExplicitTotalWinsAndReasoningIsRead()
    {
        var tokens = AttributeCoercion.ParseTokens(View(("in", I(1)), ("out", I(2)), ("total", I(100)), ("reasoning", S("9"))), Keys);
        Assert.Equal(100, tokens.Total);
        Assert.Equal(9, tokens.Reasoning);
    }

    [Fact]
    public void ParseTokens_AnAbsentValueDoesNotCountAsExisting()
    {
        var tokens = AttributeCoercion.ParseTokens(View(("in", null), ("prompt", I(5)), ("out", I(1))), Keys);
        Assert.Equal(5, tokens.Input);
    }

    [Fact]
    public void ParseMetadata_PromotesTruthySnakeCaseKeysOnly()
    {
        var f = new NormalizedFields();
        AttributeCoercion.ParseMetadata(View(
            ("agentmark.metadata.session_id", S("s")),
            ("agentmark.metadata.session_name", S("sn")),
            ("agentmark.metadata.user_id", I(42)),
            ("agentmark.metadata.trace_name", S("")),
            ("agentmark.metadata.dataset_run_id", S("r")),
            ("agentmark.metadata.dataset_run_name", S("rn")),
            ("agentmark.metadata.dataset_path", S("p")),
            ("agentmark.metadata.dataset_item_name", S("i")),
            ("agentmark.metadata.dataset_expected_output", S("e")),
            ("agentmark.metadata.dataset_input", S("never")),
            ("agentmark.metadata.experiment_key", S("never")),
            ("agentmark.metadata.prompt_name", S("pn")),
            ("agentmark.metadata.props", S("{}")),
            ("agentmark.metadata.commit_sha", S("abc")),
            ("agentmark.metadata.sessionId", S("camel"))), MetadataPrefix.AgentMark, f);

        Assert.Equal("s", f.SessionId);
        Assert.Equal("sn", f.SessionName);
        Assert.Equal("42", f.UserId);
        Assert.Null(f.TraceName); // "" is not truthy
        Assert.Equal("r", f.DatasetRunId);
        Assert.Equal("rn", f.DatasetRunName);
        Assert.Equal("p", f.DatasetPath);
        Assert.Equal("i", f.DatasetItemName);
        Assert.Equal("e", f.DatasetExpectedOutput);
        Assert.Null(f.DatasetInput);
        Assert.Null(f.ExperimentKey);
        Assert.Equal("pn", f.PromptName);
        Assert.Equal("{}", f.Props);
        Assert.Equal("abc", f.CommitSha);
    }

    [Fact]
    public void ExtractCustomMetadata_KeepsNonReservedKeysAsStrings()
    {
        var f = new NormalizedFields();
        AttributeCoercion.ExtractCustomMetadata(View(
            ("agentmark.metadata.tenant", S("acme")),
            ("agentmark.metadata.attempt", I(2)),
            ("agentmark.metadata.list", Arr(S("a"), S("b"))),
            ("agentmark.metadata.flag", B(false)),
            ("agentmark.metadata.commit_sha", S("abc")),       // promoted AND kept
            ("agentmark.metadata.session_id", S("dropped")),
            ("agentmark.metadata.dataset_input", S("dropped")),
            ("agentmark.metadata.props", S("dropped")),
            ("agentmark.metadata.__proto__", S("dropped")),
            ("agentmark.metadata.", S("dropped")),
            ("agentmark.metadata.absent", null),
            ("agentmark.metadataX", S("not under the prefix")),
            ("other", S("x"))), MetadataPrefix.AgentMark, f);

        Assert.Equal(
            [("tenant", "acme"), ("attempt", "2"), ("list", "a,b"), ("flag", "false"), ("commit_sha", "abc")],
            f.Metadata!.Select(kv => (kv.Key, kv.Value)).ToArray());
    }

    [Fact]
    public void ExtractCustomMetadata_MergesOverExistingKeysInPlace()
    {
        var f = new NormalizedFields();
        f.SetMetadata("a", "old");
        f.SetMetadata("b", "kept");
        AttributeCoercion.ExtractCustomMetadata(View(("ai.telemetry.metadata.a", S("new")), ("ai.telemetry.metadata.c", S("added"))),
            MetadataPrefix.AiTelemetry, f);
        Assert.Equal([("a", "new"), ("b", "kept"), ("c", "added")], f.Metadata!.Select(kv => (kv.Key, kv.Value)).ToArray());
    }

    [Fact]
    public void ExtractCustomMetadata_NothingUnderThePrefixLeavesMetadataUnset()
    {
        var f = new NormalizedFields();
        AttributeCoercion.ExtractCustomMetadata(View(("agentmark.metadata.session_id", S("x"))), MetadataPrefix.AgentMark, f);
        Assert.Null(f.Metadata);
    }

    [Fact]
    public void ParseAgentMarkAttributes_ReadsEveryDirectKey()
    {
        var f = new NormalizedFields { SessionId = "before", UserId = "kept" };
        AttributeCoercion.ParseAgentMarkAttributes(View(
            ("agentmark.session_id", S("s")),
            ("agentmark.session_name", S("sn")),
            ("agentmark.user_id", S("")),
            ("agentmark.trace_name", S("t")),
            ("agentmark.prompt_name", S("p")),
            ("agentmark.props", S("{\"a\":1}")),
            ("agentmark.span.kind", S("tool")),
            ("agentmark.dataset_run_id", S("r")),
            ("agentmark.dataset_run_name", S("rn")),
            ("agentmark.dataset_item_name", S("i")),
            ("agentmark.dataset_expected_output", S("e")),
            ("agentmark.dataset_input", S("di")),
            ("agentmark.dataset_path", S("dp")),
            ("agentmark.experiment_key", S("ek")),
            ("agentmark.source_tree_hash", I(77)),
            ("agentmark.input", S("never read into props"))), f);

        Assert.Equal("s", f.SessionId);
        Assert.Equal("sn", f.SessionName);
        Assert.Equal("kept", f.UserId); // "" does not overwrite
        Assert.Equal("t", f.TraceName);
        Assert.Equal("p", f.PromptName);
        Assert.Equal("{\"a\":1}", f.Props);
        Assert.Equal("tool", f.SemanticKindCandidate);
        Assert.Equal("r", f.DatasetRunId);
        Assert.Equal("rn", f.DatasetRunName);
        Assert.Equal("i", f.DatasetItemName);
        Assert.Equal("e", f.DatasetExpectedOutput);
        Assert.Equal("di", f.DatasetInput);
        Assert.Equal("dp", f.DatasetPath);
        Assert.Equal("ek", f.ExperimentKey);
        Assert.Equal("77", f.SourceTreeHash);
    }

    [Fact]
    public void MergedView_SpanWinsResourceKeepsPosition()
    {
        var view = new AttributeView(Map(("a", S("resource")), ("b", S("resource-only"))), Map(("c", S("span-only")), ("a", S("span"))));
        Assert.Equal("span", view["a"]);
        Assert.Equal(["a", "b", "c"], view.AsEnumerableKeys());
        var absentOverride = new AttributeView(Map(("k", S("resource"))), Map(("k", null)));
        Assert.False(absentOverride.Has("k")); // an absent span value hides the resource value, as {...r, ...s} does
    }
}

internal static class AttributeViewTestExtensions
{
    public static string[] AsEnumerableKeys(this AttributeView view)
    {
        return view.Keys.ToArray();
    }
}
