using System.Text.Json.Nodes;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Tags (ingestion §2.13), as stored in the Tags column.</summary>
public sealed class TagTests
{
    private static string Tags(JsonNode? value, string? scope = "some.scope")
        => Normalize(Span(scope: scope, attributes: [("agentmark.tags", value)])).Tags;

    [Fact]
    public void AbsentNullOrEmptyGivesEmptyArray()
    {
        Assert.Equal("[]", Normalize(Span()).Tags);
        Assert.Equal("[]", Tags(null));
        Assert.Equal("[]", Tags(S("")));
    }

    [Fact]
    public void NativeArrayElementsAreStrings() => Assert.Equal("[\"prod\",\"2\",\"true\"]", Tags(Arr(S("prod"), I(2), B(true))));

    [Fact]
    public void JsonArrayString() => Assert.Equal("[\"prod\",\"support\",\"1.5\"]", Tags(S("[\"prod\",\"support\",1.5]")));

    [Fact]
    public void JsonNullElementsAreTheTextNullButUndefinedOtlpElementsAreDropped()
    {
        Assert.Equal("[\"null\",\"a\"]", Tags(S("[null,\"a\"]"))); // String(null) in JavaScript
        Assert.Equal("[\"a\"]", Tags(Arr(null, S("a"))));             // an AnyValue with no field: absent
    }

    [Fact]
    public void JsonStringThatIsNotAnArrayIsOneTagWithItsQuotes() => Assert.Equal("[\"\\\"prod\\\"\"]", Tags(S("\"prod\"")));

    [Fact]
    public void JsonNumberTextIsOneTag() => Assert.Equal("[\"42\"]", Tags(S("42")));

    [Fact]
    public void CommaListIsSplitAndTrimmed() => Assert.Equal("[\"a\",\"b\",\"c d\"]", Tags(S(" a, b ,,c d ,")));

    [Fact]
    public void NumbersAndBooleansGiveNoTags()
    {
        Assert.Equal("[]", Tags(I(5)));
        Assert.Equal("[]", Tags(B(true)));
    }

    [Fact]
    public void TagsAreTrimmedEmptyAndLongOnesDroppedFirstTwentyKept()
    {
        var tooLong = new string('x', 101);
        var exactly100 = new string('y', 100);
        var values = new List<JsonNode?> { S("  padded  "), S(""), S("   "), S(tooLong), S(exactly100) };
        for (var i = 0; i < 30; i++) values.Add(S("t" + i));
        var tags = System.Text.Json.JsonSerializer.Deserialize<string[]>(Tags(new JsonArray(values.ToArray())))!;
        Assert.Equal(20, tags.Length);
        Assert.Equal("padded", tags[0]);
        Assert.Equal(exactly100, tags[1]);
        Assert.Equal("t17", tags[19]);
    }

    [Fact]
    public void DuplicatesAreKept() => Assert.Equal("[\"a\",\"a\"]", Tags(S("a,a")));

    [Fact]
    public void ResourceTagsApplyAndSpanTagsOverrideThem()
    {
        Assert.Equal("[\"from-resource\"]", Normalize(Span(resource: [("agentmark.tags", S("from-resource"))])).Tags);
        Assert.Equal("[\"from-span\"]", Normalize(Span(resource: [("agentmark.tags", S("from-resource"))],
            attributes: [("agentmark.tags", S("[\"from-span\"]"))])).Tags);
    }

    [Fact]
    public void TagsAreReadOnEveryScope()
    {
        foreach (var scope in new[] { "agentmark", "ai", "pydantic-ai", "openinference.instrumentation.langchain", null })
        {
            Assert.Equal("[\"x\",\"y\"]", Tags(S("[\"x\",\"y\"]"), scope));
        }
    }

    [Fact]
    public void TagsAreJsonEscaped() => Assert.Equal("[\"say \\\"hi\\\"\",\"é\"]", Tags(Arr(S("say \"hi\""), S("é"))));
}
