using System.Text.Json.Nodes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Tests;

/// <summary>JSON.stringify / JSON.parse fidelity (ingestion §0): what System.Text.Json would get wrong.</summary>
public sealed class JsJsonTests
{
    private static string Number(double d)
    {
        var sb = new JsonTextBuilder();
        JsJsonWriter.WriteNumber(sb, d);
        return sb.ToString();
    }

    [Theory]
    [InlineData(2.0, "2")]
    [InlineData(-0.0, "0")]
    [InlineData(0.00001, "0.00001")]      // STJ/"R" would write 1E-05
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.3, "0.3")]
    [InlineData(400.0, "400")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(5.099999999999999e-05, "0.00005099999999999999")]
    [InlineData(0.015000000000000001, "0.015000000000000001")]
    [InlineData(-2.5e-06, "-0.0000025")]
    [InlineData(1767225900400000000.0, "1767225900400000000")]
    public void NumbersAreWrittenAsJavaScriptDoes(double value, string expected) => Assert.Equal(expected, Number(value));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteNumbersAreNull(double value) => Assert.Equal("null", Number(value));

    [Fact]
    public void LongValuesAreExact() => Assert.Equal("[9007199254740993,-42]", JsJson.Stringify(new JsonArray(JsonValue.Create(9007199254740993L), JsonValue.Create(-42L))));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote\" back\\slash", "\"quote\\\" back\\\\slash\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001f\"")]
    [InlineData("<a href='x'>&+</a>", "\"<a href='x'>&+</a>\"")] // no HTML escaping
    [InlineData("héllo 18°C ✓", "\"héllo 18°C ✓\"")]              // non-ASCII stays raw
    [InlineData("emoji 😀", "\"emoji 😀\"")]                        // surrogate pairs stay raw
    [InlineData("\u2028\u2029\u007f", "\"\u2028\u2029\u007f\"")]   // JSON.stringify does not escape these
    public void StringsAreEscapedAsJsonStringify(string value, string expected)
    {
        var sb = new JsonTextBuilder();
        JsJsonWriter.WriteString(sb, value);
        Assert.Equal(expected, sb.ToString());
    }

    [Fact]
    public void LoneSurrogatesAreEscapedAsWellFormedJsonStringifyDoes()
    {
        // Built in code: theory data would be round-tripped through UTF-8 and lose the lone surrogates.
        var sb = new JsonTextBuilder();
        JsJsonWriter.WriteString(sb, "a" + '\ud800' + "b" + '\udc00' + "c" + '\udbff');
        Assert.Equal("\"a\\ud800b\\udc00c\\udbff\"", sb.ToString());
    }

    [Fact]
    public void ParsedNullPropertiesAreWrittenButAttributeNullsAreOmitted()
    {
        var obj = new JsonObject { ["a"] = null, ["b"] = 1 };
        Assert.Equal("{\"a\":null,\"b\":1}", JsJson.Stringify(obj));
        var sb = new JsonTextBuilder();
        JsJsonWriter.WriteNode(sb, obj, JsJsonWriter.NullProperties.Omit);
        Assert.Equal("{\"b\":1}", sb.ToString());
    }

    [Fact]
    public void AttributeMapOmitsAbsentValuesAndKeepsOrder()
    {
        var map = new Dictionary<string, JsonNode?>
        {
            ["z"] = JsonValue.Create("last-inserted-first"),
            ["absent"] = null,
            ["arr"] = new JsonArray(JsonValue.Create(1L), null, JsonValue.Create(true)),
            ["kv"] = new JsonObject { ["x"] = null, ["y"] = JsonValue.Create(0.5) },
        };
        var sb = new JsonTextBuilder();
        JsJsonWriter.WriteAttributeMap(sb, map);
        Assert.Equal("{\"z\":\"last-inserted-first\",\"arr\":[1,null,true],\"kv\":{\"y\":0.5}}", sb.ToString());
    }

    [Fact]
    public void JsonElementBackedValuesAreWrittenAsJavaScriptWould()
    {
        var node = JsonNode.Parse("{\"a\":1.0,\"b\":1e-7,\"c\":\"s\",\"d\":[true,null]}");
        Assert.Equal("{\"a\":1,\"b\":1e-7,\"c\":\"s\",\"d\":[true,null]}", JsJson.Stringify(node));
    }

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData(" [1, 2.50, -0.0, 1E2] ", "[1,2.5,0,100]")]
    [InlineData("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}")] // last value wins, first position
    [InlineData("\"\\u00e9\\/\\n\"", "\"é/\\n\"")]
    [InlineData("\"\\ud800\"", "\"\\ud800\"")]                      // lone surrogate escapes are accepted
    [InlineData("12345678901234567890", "12345678901234567000")]  // numbers are doubles
    [InlineData("1e400", "null")]                                  // overflow → Infinity → null
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    [InlineData("\"a\\\"b\\\\c\\u0041\\td\"", "\"a\\\"b\\\\cA\\td\"")]
    [InlineData("[\"x\\n\",\"\",\"\\\"\"]", "[\"x\\n\",\"\",\"\\\"\"]")]
    public void ParsesAsJsonParse(string text, string restringified)
    {
        Assert.True(JsJson.TryParse(text, out var value));
        Assert.Equal(restringified, JsJson.Stringify(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("{a:1}")]
    [InlineData("{'a':1}")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("NaN")]
    [InlineData("\"unterminated")]
    [InlineData("\"tab\tinside\"")]
    [InlineData("[1] [2]")]
    [InlineData("tru")]
    [InlineData("\"\\x\"")]
    [InlineData("// comment\n1")]
    [InlineData("\"a\\nb")]          // unterminated after an escape
    [InlineData("\"\\u12\"")]       // short \u escape
    [InlineData("\"\\u12G4\"")]
    [InlineData("\"a\\nb\u0001\"")] // raw control character after an escape
    [InlineData("\"ends with backslash\\")]
    public void RejectsWhatJsonParseRejects(string text) => Assert.False(JsJson.TryParse(text, out _));

    [Fact]
    public void DeepNestingWithinTheLimitParses()
    {
        var text = new string('[', 300) + new string(']', 300);
        Assert.True(JsJson.TryParse(text, out _));
    }

    [Fact]
    public void AbsurdNestingIsUnparseableInsteadOfOverflowingTheStack()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        Assert.False(JsJson.TryParse(text, out _));
    }
}

public sealed class JsValueTests
{
    [Fact]
    public void TruthinessFollowsJavaScript()
    {
        Assert.False(JsValue.IsTruthy(null));
        Assert.False(JsValue.IsTruthy(JsNull.Value));
        Assert.False(JsValue.IsTruthy(""));
        Assert.False(JsValue.IsTruthy(0L));
        Assert.False(JsValue.IsTruthy(0.0));
        Assert.False(JsValue.IsTruthy(-0.0));
        Assert.False(JsValue.IsTruthy(double.NaN));
        Assert.False(JsValue.IsTruthy(false));
        Assert.True(JsValue.IsTruthy("0"));
        Assert.True(JsValue.IsTruthy(-1L));
        Assert.True(JsValue.IsTruthy(true));
        Assert.True(JsValue.IsTruthy(new JsArray()));
        Assert.True(JsValue.IsTruthy(new JsObject()));
    }

    [Fact]
    public void StringConversionFollowsJavaScript()
    {
        Assert.Equal("", JsValue.ToJsString(null));
        Assert.Equal("null", JsValue.ToJsString(JsNull.Value));
        Assert.Equal("2", JsValue.ToJsString(2.0));
        Assert.Equal("1.5e-7", JsValue.ToJsString(1.5e-7));
        Assert.Equal("9007199254740993", JsValue.ToJsString(9007199254740993L));
        Assert.Equal("a,b,,,1", JsValue.ToJsString(new JsArray("a", "b", null, JsNull.Value, 1L)));
        Assert.Equal("[object Object]", JsValue.ToJsString(new JsObject()));
        Assert.Equal("false", JsValue.ToJsString(false));
    }

    [Fact]
    public void DecodedNodesConvertToTheValueModel()
    {
        Assert.Equal("s", JsonNodeValues.ToJs(JsonValue.Create("s")));
        Assert.Equal(42L, JsonNodeValues.ToJs(JsonValue.Create(42L)));
        Assert.Equal(0.5, JsonNodeValues.ToJs(JsonValue.Create(0.5)));
        Assert.Equal(true, JsonNodeValues.ToJs(JsonValue.Create(true)));
        Assert.Equal(7L, JsonNodeValues.ToJs(JsonNode.Parse("7")));
        Assert.Equal(7.5, JsonNodeValues.ToJs(JsonNode.Parse("7.5")));
        Assert.Equal("x", JsonNodeValues.ToJs(JsonNode.Parse("\"x\"")));
        Assert.Null(JsonNodeValues.ToJs(null));
        var array = Assert.IsType<JsArray>(JsonNodeValues.ToJs(new JsonArray(JsonValue.Create(1L), null)));
        Assert.Equal([1L, null], array);
        var kvlist = Assert.IsType<JsObject>(JsonNodeValues.ToJs(new JsonObject { ["a"] = 1L, ["absent"] = null }));
        Assert.Equal(1, kvlist.Count); // an undefined kvlist value is not a property
        Assert.Equal("{\"a\":1}", JsJson.Stringify(kvlist));
    }

    [Fact]
    public void NumbersAreNumbersAndStringsAreNot()
    {
        Assert.True(JsValue.TryGetNumber(3L, out var l) && l == 3);
        Assert.True(JsValue.TryGetNumber(2.5, out var d) && d == 2.5);
        Assert.False(JsValue.TryGetNumber("7", out _));
        Assert.True(JsonNodeValues.TryGetNumber(JsonNode.Parse("7"), out var e) && e == 7);
        Assert.False(JsonNodeValues.TryGetNumber(JsonValue.Create("7"), out _));
        Assert.False(JsonNodeValues.TryGetNumber(JsonNode.Parse("\"7\""), out _));
    }
}

public sealed class JsObjectTests
{
    [Fact]
    public void AssignmentKeepsPositionAndUndefinedIsOmitted()
    {
        var o = new JsObject { ["a"] = 1L, ["b"] = 2L };
        o["a"] = 3L;
        o["c"] = null;
        o["d"] = JsNull.Value;
        Assert.Equal("{\"a\":3,\"b\":2,\"d\":null}", JsJson.Stringify(o));
        Assert.True(o.ContainsKey("c"));
        Assert.True(o.Remove("a"));
        Assert.Equal("{\"b\":2,\"d\":null}", JsJson.Stringify(o));
    }

    [Fact]
    public void LargeObjectsStayCorrectWithTheIndex()
    {
        var o = new JsObject();
        for (var i = 0; i < 1000; i++) o[$"k{i}"] = (long)i;
        o["k500"] = "replaced";
        Assert.True(o.Remove("k0"));
        Assert.Equal(999, o.Count);
        Assert.Equal("replaced", o["k500"]);
        Assert.Equal(999L, o["k999"]);
        Assert.Null(o["k0"]);
        Assert.Equal("k1", o.GetAt(0).Key);
    }

    [Fact]
    public void ParsingManyKeysIsNotQuadratic()
    {
        var text = "{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"k{i}\":{i}")) + "}";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(JsJson.TryParse(text, out var parsed));
        Assert.Equal(100_000, ((JsObject)parsed!).Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }
}

public sealed class UnusualValueBackingTests
{
    [Fact]
    public void ValuesBackedByOtherTypesBehaveLikeTheirJavaScriptEquivalents()
    {
        var guid = JsonValue.Create(Guid.Empty);
        Assert.True(JsonNodeValues.TryGetString(guid, out var text));
        Assert.Equal("00000000-0000-0000-0000-000000000000", text);
        Assert.Equal("{\"g\":\"00000000-0000-0000-0000-000000000000\",\"i\":3,\"m\":2.5,\"f\":0.5}",
            JsJson.Stringify(new JsonObject { ["g"] = guid, ["i"] = JsonValue.Create(3), ["m"] = JsonValue.Create(2.5m), ["f"] = JsonValue.Create(0.5f) }));
        Assert.True(JsValue.IsTruthy(JsonNodeValues.ToJs(JsonValue.Create(3))));
        Assert.False(JsValue.IsTruthy(JsonNodeValues.ToJs(JsonValue.Create(0m))));
    }
}

public sealed class JsNumberFormatterTests
{
    private static string Format(double d)
    {
        var sb = new JsonTextBuilder();
        JsNumberFormatter.Write(sb, d);
        return sb.ToString();
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.2345e21, "1.2345e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void FormatsAsNumberToString(double value, string expected) => Assert.Equal(expected, Format(value));

    [Fact]
    public void AgreesWithCoreJsFormatOnRandomDoubles()
    {
        var random = new Random(42);
        for (var i = 0; i < 200_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value) || value == 0) continue;
            Assert.Equal(AgentMark.Core.Json.JsFormat.NumberToString(value), Format(value));
        }
        for (var exponent = -330; exponent <= 310; exponent++)
        {
            var value = Math.Pow(10, exponent) * (1 + random.NextDouble());
            if (!double.IsFinite(value) || value == 0) continue;
            Assert.Equal(AgentMark.Core.Json.JsFormat.NumberToString(value), Format(value));
        }
    }
}
