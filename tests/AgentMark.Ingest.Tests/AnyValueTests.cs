using System.Text.Json.Nodes;
using AgentMark.Ingest.Otlp;
using static AgentMark.Ingest.Tests.TestData;

namespace AgentMark.Ingest.Tests;

/// <summary>OTLP/JSON attribute lists and AnyValue conversion (ingestion §1.9).</summary>
public sealed class AnyValueTests
{
    [Fact]
    public void String_value()
    {
        Assert.Equal("hello", AsString(AttributeValue("""{"stringValue":"hello"}""")));
        Assert.Equal("", AsString(AttributeValue("""{"stringValue":""}""")));
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("\"42\"", 42)]
    [InlineData("\"12abc\"", 12)]
    [InlineData("\"  -7x\"", -7)]
    [InlineData("\"\\u00a0+5\"", 5)]
    [InlineData("\"0x1F\"", 0)]
    [InlineData("\"1e3\"", 1)]
    [InlineData("\"9007199254740993\"", 9007199254740993)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("\"-9223372036854775808\"", long.MinValue)]
    [InlineData("-3", -3)]
    public void Int_value_as_string_or_number_is_a_long(string token, long expected)
    {
        Assert.Equal(expected, AsLong(AttributeValue($$"""{"intValue":{{token}}}""")));
    }

    [Fact]
    public void Int_value_without_digits_is_nan_and_beyond_int64_a_double_like_parse_int()
    {
        Assert.True(double.IsNaN(AsDouble(AttributeValue("""{"intValue":"abc"}"""))));
        Assert.True(double.IsNaN(AsDouble(AttributeValue("""{"intValue":""}"""))));
        Assert.Equal(9.2233720368547758E18, AsDouble(AttributeValue("""{"intValue":"9223372036854775808"}""")));
        // A JSON number that is not an integer is kept as the number it is (the reference passes it through).
        Assert.Equal(42.5, AsDouble(AttributeValue("""{"intValue":42.5}""")));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("3", 3.0)]
    [InlineData("-0.000001", -0.000001)]
    [InlineData("\"2.25\"", 2.25)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    public void Double_value_is_a_double(string token, double expected)
    {
        Assert.Equal(expected, AsDouble(AttributeValue($$"""{"doubleValue":{{token}}}""")));
    }

    [Fact]
    public void Double_value_nan_string_is_nan()
    {
        Assert.True(double.IsNaN(AsDouble(AttributeValue("""{"doubleValue":"NaN"}"""))));
    }

    [Fact]
    public void Bool_value()
    {
        Assert.True(AsBool(AttributeValue("""{"boolValue":true}""")));
        Assert.False(AsBool(AttributeValue("""{"boolValue":false}""")));
    }

    [Fact]
    public void Array_value_converts_elements_recursively()
    {
        var array = Assert.IsType<JsonArray>(AttributeValue("""
            {"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"},{"doubleValue":2.5},{"boolValue":true},
                                     {"arrayValue":{"values":[{"stringValue":"nested"}]}},{},5]}}
            """));
        Assert.Equal(7, array.Count);
        Assert.Equal("a", AsString(array[0]));
        Assert.Equal(2, AsLong(array[1]));
        Assert.Equal(2.5, AsDouble(array[2]));
        Assert.True(AsBool(array[3]));
        Assert.Equal("nested", AsString(Assert.IsType<JsonArray>(array[4])[0]));
        // Elements without a value are null inside the array.
        Assert.Null(array[5]);
        Assert.Null(array[6]);
        Assert.Equal("""["a",2,2.5,true,["nested"],null,null]""", array.ToJsonString());
    }

    [Fact]
    public void Empty_array_value_is_an_empty_array()
    {
        Assert.Empty(Assert.IsType<JsonArray>(AttributeValue("""{"arrayValue":{"values":[]}}""")));
    }

    [Fact]
    public void Array_value_without_values_falls_through_to_the_next_field()
    {
        Assert.Equal("AQID", AsString(AttributeValue("""{"arrayValue":{},"bytesValue":"AQID"}""")));
        Assert.Null(AttributeValue("""{"arrayValue":{"values":null}}"""));
        Assert.Null(AttributeValue("""{"arrayValue":[{"stringValue":"x"}]}"""));
    }

    [Fact]
    public void Bytes_value_is_its_base64_text()
    {
        Assert.Equal("AQIDBA==", AsString(AttributeValue("""{"bytesValue":"AQIDBA=="}""")));
    }

    [Fact]
    public void Kvlist_value_is_a_json_object()
    {
        var obj = Assert.IsType<JsonObject>(AttributeValue("""
            {"kvlistValue":{"values":[
              {"key":"a","value":{"intValue":"1"}},
              {"key":"b","value":{"kvlistValue":{"values":[{"key":"c","value":{"stringValue":"d"}}]}}},
              {"key":"gone","value":{}},
              {"key":"__proto__","value":{"stringValue":"x"}},
              {"key":"","value":{"stringValue":"x"}},
              {"key":"a","value":{"intValue":"3"}}
            ]}}
            """));
        Assert.Equal("""{"a":3,"b":{"c":"d"}}""", obj.ToJsonString());
    }

    [Fact]
    public void Kvlist_value_without_values_falls_through()
    {
        Assert.Null(AttributeValue("""{"kvlistValue":{}}"""));
    }

    [Fact]
    public void No_field_set_keeps_the_key_with_a_null_value()
    {
        Assert.Null(AttributeValue("{}"));
        Assert.Null(AttributeValue("""{"unknownValue":1}"""));
        Assert.Null(AttributeValue("null"));
        Assert.Null(AttributeValue("\"text\""));
    }

    [Fact]
    public void Missing_value_keeps_the_key_with_a_null_value()
    {
        var span = SingleSpan(OtlpJson(Span("\"attributes\":[{\"key\":\"k\"}]")));
        Assert.True(span.SpanAttributes.ContainsKey("k"));
        Assert.Null(span.SpanAttributes["k"]);
    }

    [Theory]
    [InlineData("""{"stringValue":"s","intValue":1,"doubleValue":1.5,"boolValue":true}""", "s")]
    [InlineData("""{"boolValue":true,"doubleValue":1.5,"intValue":"1"}""", "long:1")]
    [InlineData("""{"boolValue":true,"doubleValue":1.5}""", "double:1.5")]
    [InlineData("""{"bytesValue":"AQ==","boolValue":false}""", "bool:False")]
    [InlineData("""{"kvlistValue":{"values":[]},"arrayValue":{"values":[]}}""", "[]")]
    [InlineData("""{"kvlistValue":{"values":[]},"bytesValue":"AQ=="}""", "AQ==")]
    [InlineData("""{"stringValue":null,"intValue":7}""", "long:7")]
    [InlineData("""{"stringValue":"a","stringValue":null,"intValue":7}""", "long:7")]
    [InlineData("""{"intValue":7,"stringValue":"a","stringValue":"b"}""", "b")]
    public void First_present_field_in_precedence_order_wins(string anyValue, string expected)
    {
        var node = AttributeValue(anyValue);
        var text = node switch
        {
            JsonValue v when v.TryGetValue<long>(out var l) => "long:" + l,
            JsonValue v when v.TryGetValue<double>(out var d) => "double:" + d,
            JsonValue v when v.TryGetValue<bool>(out var b) => "bool:" + b,
            JsonValue v => v.GetValue<string>(),
            _ => node!.ToJsonString(),
        };
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Wrong_json_types_in_a_field_pass_through_as_scalars()
    {
        Assert.Equal(5, AsLong(AttributeValue("""{"stringValue":5}""")));
        Assert.Equal("yes", AsString(AttributeValue("""{"boolValue":"yes"}""")));
        Assert.True(AsBool(AttributeValue("""{"intValue":true}""")));
        Assert.Null(AttributeValue("""{"stringValue":{"a":1}}"""));
    }

    [Fact]
    public void Unusable_keys_are_skipped_and_the_last_duplicate_wins_in_its_first_position()
    {
        var span = SingleSpan(OtlpJson(Span("""
            "attributes":[
              {"key":"a","value":{"stringValue":"1"}},
              {"key":"__proto__","value":{"stringValue":"x"}},
              {"key":"constructor","value":{"stringValue":"x"}},
              {"key":"prototype","value":{"stringValue":"x"}},
              {"key":"","value":{"stringValue":"x"}},
              {"value":{"stringValue":"no key"}},
              {"key":null,"value":{"stringValue":"x"}},
              {"key":7,"value":{"stringValue":"x"}},
              "not an object",
              {"key":"b","value":{"stringValue":"2"}},
              {"key":"a","value":{"stringValue":"3"}},
              {"value":{"stringValue":"4"},"key":"c"}
            ]
            """)));
        Assert.Equal(["a", "b", "c"], span.SpanAttributes.Keys);
        Assert.Equal("3", AsString(span.SpanAttributes["a"]));
        Assert.Equal("4", AsString(span.SpanAttributes["c"]));
    }

    [Fact]
    public void Attributes_that_are_not_a_list_are_none()
    {
        Assert.Empty(SingleSpan(OtlpJson(Span("\"attributes\":{\"a\":1}"))).SpanAttributes);
    }

    [Fact]
    public void Repeated_attributes_key_in_a_span_takes_the_last_list()
    {
        var span = SingleSpan(OtlpJson(Span("""
            "attributes":[{"key":"a","value":{"stringValue":"1"}}],
            "attributes":[{"key":"b","value":{"stringValue":"2"}}]
            """)));
        Assert.Equal(["b"], span.SpanAttributes.Keys);
    }
}
