using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Core.Json;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Conventions.VercelAiSdk;
using AgentMark.Normalization.Json;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// The shortcuts taken for speed give exactly what the general code gives: the string escaper, the
/// AI SDK prompt writer and its "already normalized" check, the one-string-array parse, the per-thread
/// caches (resource columns, number text) and the reused per-span state.
/// </summary>
public sealed class FastPathTests
{
    /// <summary>QuoteJSONString, character by character.</summary>
    private static string ReferenceQuote(string s)
    {
        var sb = new StringBuilder("\"");
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
                continue;
            }
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < 0x20 || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    private static string Quote(string s)
    {
        var sb = new JsonTextBuilder(16);
        JsJsonWriter.WriteString(sb, s);
        return sb.ToString();
    }

    [Fact]
    public void StringEscapingMatchesTheReferenceOnMixedText()
    {
        char[] alphabet = ['a', ' ', '~', '"', '\\', '\n', '\u0001', '\u001f', '\u007f', 'é', '中', '\u2028', '\ud83d', '\ude00', '\ue000', '\uffff', '{', ':'];
        var random = new Random(7);
        for (var n = 0; n < 3000; n++)
        {
            var length = n < 2000 ? random.Next(0, 40) : random.Next(0, 5000);
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            var s = new string(chars);
            Assert.Equal(ReferenceQuote(s), Quote(s));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"role\":\"user\",\"content\":\"hi\"}")]
    [InlineData("ends with a quote\"")]
    [InlineData("\"\"\"\\\\\\")]
    [InlineData("private use \ue000 and \uffff stay raw")]
    [InlineData("pair 😀 then lone \ud83d and \ude00")]
    [InlineData("\ud83d")]
    [InlineData("x\ud83d")]
    public void StringEscapingMatchesTheReference(string value) => Assert.Equal(ReferenceQuote(value), Quote(value));

    private static AttributeView PromptView(string key, string text) => new(Map(), Map((key, S(text))));

    /// <summary>The general path: parse, normalize, stringify.</summary>
    private static string? GeneralInput(AttributeView view)
    {
        var version = VercelAiSdkVersionDetector.Detect(view);
        return VercelAiSdkPrompt.Extract(view, version) is { } messages ? JsJson.Stringify(messages) : null;
    }

    [Theory]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    [InlineData("[{\"role\":\"user\",\"content\":\"hi\"}]")]
    [InlineData("[{\"role\":\"\",\"content\":[]}]")]
    [InlineData("[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"\"}]}]")]
    [InlineData("[ {\"role\" : \"user\", \"content\":\"spaced\"} ]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"line\\nbreak, tab\\t, quote \\\" and \\\\, \\u0001\"}]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"escaped \\u0041 \\/ \\u000a \\u001F\"}]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"lone \\ud800 and pair \\ud83d\\ude00\"}]")]
    [InlineData("[{\"r\\u006fle\":\"user\",\"content\":\"escaped key\"}]")]
    [InlineData("[{\"role\":\"user\",\"content\":[{\"type\":\"t\\u0065xt\",\"text\":\"escaped type\"}]}]")]
    [InlineData("{\"prompt\":\"hello\"}")]
    [InlineData("{\"system\":\"sys\",\"prompt\":\"hello\"}")]
    [InlineData("{ \"prompt\" : \"hello\" , \"system\" : \"\" }")]
    public void PromptWriterMatchesTheGeneralPath(string text)
    {
        var view = PromptView("ai.prompt.messages", text);
        var fast = VercelAiSdkPromptWriter.TryWrite(view);
        Assert.NotNull(fast);
        Assert.Equal(GeneralInput(view), fast);
    }

    [Theory]
    [InlineData("[{\"content\":\"x\",\"role\":\"user\"}]")]                                    // other key order
    [InlineData("[{\"role\":\"user\",\"content\":\"x\",\"role\":\"tool\"}]")]                  // duplicate key
    [InlineData("[{\"role\":\"user\",\"content\":\"x\",\"name\":\"n\"}]")]                     // extra key
    [InlineData("[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"image\":\"x\"}]}]")]   // other part
    [InlineData("[{\"role\":\"user\",\"content\":[{\"text\":\"x\",\"type\":\"text\"}]}]")]     // part key order
    [InlineData("[{\"role\":null,\"content\":\"x\"}]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"x\"},]")]                                   // invalid JSON
    [InlineData("{\"prompt\":\"a\",\"prompt\":\"b\"}")]
    [InlineData("{\"system\":\"s\",\"messages\":[]}")]
    [InlineData("not json")]
    [InlineData("\"a string\"")]
    public void PromptWriterLeavesOtherShapesToTheGeneralPath(string text)
        => Assert.Null(VercelAiSdkPromptWriter.TryWrite(PromptView("ai.prompt.messages", text)));

    [Fact]
    public void AnAlreadyNormalizedPromptIsTheAttributeItself()
    {
        const string text = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a \\\"quoted\\\" line\\nand \\u0001\"}]}]";
        Assert.True(VercelAiSdkPromptWriter.IsNormalizedMessages(text));
        var view = PromptView("ai.prompt.messages", text);
        Assert.Same(view["ai.prompt.messages"], VercelAiSdkPromptWriter.TryWrite(view));
        Assert.Equal(GeneralInput(view), text);
    }

    [Theory]
    [InlineData("[{\"role\":\"user\",\"content\":\"\\u0041\"}]")]      // an escape JSON.stringify does not write
    [InlineData("[{\"role\":\"user\",\"content\":\"\\u000a\"}]")]      // ... it writes \n
    [InlineData("[{\"role\":\"user\",\"content\":\"\\u001F\"}]")]      // ... in lower case
    [InlineData("[{\"role\":\"user\",\"content\":\"\\/\"}]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"😀\"}]")]           // surrogates: checked by writing
    [InlineData("[ {\"role\":\"user\",\"content\":\"x\"}]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"x\"}")]
    [InlineData("[{\"role\":\"user\",\"content\":\"x\"}]x")]
    public void OnlyExactStringifyOutputCountsAsNormalized(string text) => Assert.False(VercelAiSdkPromptWriter.IsNormalizedMessages(text));

    [Theory]
    [InlineData("[\"stop\"]", "stop")]
    [InlineData(" [ \"length\" ] ", "length")]
    [InlineData("[\"st\\u006fp\"]", "stop")]
    [InlineData("[\"\"]", "")]
    public void SingleStringArrays(string text, string expected)
    {
        Assert.True(JsJson.TryParseSingleStringArray(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"a\",\"b\"]")]
    [InlineData("[1]")]
    [InlineData("\"stop\"")]
    [InlineData("[\"stop\"] x")]
    [InlineData("[\"stop\"")]
    public void OtherTextIsNotASingleStringArray(string text) => Assert.False(JsJson.TryParseSingleStringArray(text, out _));

    [Fact]
    public void FinishReasonsFromAOneStringArrayAndFromLongerArraysAgree()
    {
        static string? Reason(string json) => Normalize("ai",
            ("ai.response.text", S("x")), ("gen_ai.response.finish_reasons", S(json))).FinishReason;
        Assert.Equal("stop", Reason("[\"stop\"]"));
        Assert.Equal("stop", Reason("[\"stop\",\"length\"]"));
        Assert.Equal("[\"stop\"", Reason("[\"stop\""));
    }

    [Fact]
    public void LongEscapedStringsParse()
    {
        var text = string.Concat(Enumerable.Repeat("ab\\n\\\"\\u00e9", 400));
        Assert.True(JsJson.TryParse("\"" + text + "\"", out var value));
        Assert.Equal(string.Concat(Enumerable.Repeat("ab\n\"é", 400)), value);
    }

    [Fact]
    public void RecentNumbersAreWrittenTheSameAsNew()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 200).Select(_ => Math.Round(random.NextDouble() * 10, random.Next(1, 6)) * (random.Next(2) == 0 ? 1 : -1)).ToArray();
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var value in values)
            {
                var sb = new JsonTextBuilder();
                JsJsonWriter.WriteNumber(sb, value);
                Assert.Equal(value == Math.Floor(value) ? ((long)value).ToString() : JsFormat.NumberToString(value), sb.ToString());
            }
        }
    }

    [Fact]
    public void ResourceColumnsFollowAMapChangedInPlace()
    {
        var resource = Map(("service.name", S("one")), ("k", I(1)));
        SpanRecord Record() => Normalizer.Normalize(new DecodedSpan
        {
            TraceId = "t", SpanId = "s", ResourceAttributes = resource, SpanAttributes = Map(),
        }, "app");

        var first = Record();
        var second = Record();
        Assert.Equal("{\"service.name\":\"one\",\"k\":1}", first.ResourceAttributes);
        Assert.Same(first.ResourceAttributes, second.ResourceAttributes);
        Assert.Equal("one", second.ServiceName);

        resource["service.name"] = S("two");
        var third = Record();
        Assert.Equal("{\"service.name\":\"two\",\"k\":1}", third.ResourceAttributes);
        Assert.Equal("two", third.ServiceName);

        resource["list"] = new JsonArray(S("a"));
        Assert.Equal("{\"service.name\":\"two\",\"k\":1,\"list\":[\"a\"]}", Record().ResourceAttributes);
        ((JsonArray)resource["list"]!).Add(S("b"));
        Assert.Equal("{\"service.name\":\"two\",\"k\":1,\"list\":[\"a\",\"b\"]}", Record().ResourceAttributes);
    }

    [Fact]
    public void ClearedFieldsAreAllUnset()
    {
        var fields = new NormalizedFields();
        foreach (var property in typeof(NormalizedFields).GetProperties())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(string) ? "x"
                : type == typeof(double) ? 1.0
                : type == typeof(JsArray) ? new JsArray()
                : type == typeof(JsObject) ? new JsObject()
                : type == typeof(OrderedDictionary<string, string>) ? new OrderedDictionary<string, string>()
                : type == typeof(object) ? "x"
                : throw new InvalidOperationException($"No test value for {property.Name} ({type})");
            property.SetValue(fields, value);
        }
        fields.Clear();
        foreach (var property in typeof(NormalizedFields).GetProperties())
        {
            Assert.True(property.GetValue(fields) is null, $"{property.Name} is not cleared");
        }
    }

    [Fact]
    public void RepeatedSettingsShareTheirText()
    {
        SpanRecord Generation(double temperature) => Normalize("ai", ("ai.response.text", S("x")), ("ai.settings.temperature", D(temperature)));
        var a = Generation(0.7);
        var b = Generation(0.7);
        var c = Generation(0.2);
        Assert.Equal("{\"temperature\":0.7}", a.Settings);
        Assert.Same(a.Settings, b.Settings);
        Assert.Equal("{\"temperature\":0.2}", c.Settings);
    }

    [Fact]
    public void TryGetIsHasWithTheValue()
    {
        var view = new AttributeView(Map(("r", S("resource")), ("hidden", S("resource"))), Map(("n", I(3)), ("hidden", null)));
        Assert.True(view.TryGet("n", out var n));
        Assert.Equal(3L, n);
        Assert.True(view.TryGet("r", out var r));
        Assert.Equal("resource", r);
        Assert.False(view.TryGet("hidden", out _));
        Assert.False(view.TryGet("missing", out _));
    }
}
