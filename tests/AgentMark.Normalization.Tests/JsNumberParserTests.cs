using AgentMark.Normalization.Coercion;

namespace AgentMark.Normalization.Tests;

public sealed class JsNumberParserTests
{
    [Theory]
    [InlineData("12", 12)]
    [InlineData("12abc", 12)]
    [InlineData("  \t\n-7.9", -7)]
    [InlineData("+3", 3)]
    [InlineData("\uFEFF5", 5)]
    [InlineData("0x10", 0)]
    [InlineData("1e3", 1)]
    [InlineData("00012", 12)]
    [InlineData("99999999999999999999", 1e20)]
    public void ParseInt(string text, double expected) => Assert.Equal(expected, JsNumberParser.ParseInt(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-")]
    [InlineData(".5")]
    [InlineData("\u00855")] // U+0085 is not JavaScript whitespace
    public void ParseIntNaN(string text) => Assert.True(double.IsNaN(JsNumberParser.ParseInt(text)));

    [Theory]
    [InlineData("0.3", 0.3)]
    [InlineData("  1.5e3xyz", 1500)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5", -0.5)]
    [InlineData("5.", 5)]
    [InlineData("1e", 1)]
    [InlineData("1e+", 1)]
    [InlineData("0x1A", 0)]
    [InlineData("Infinityx", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void ParseFloat(string text, double expected) => Assert.Equal(expected, JsNumberParser.ParseFloat(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData(".")]
    [InlineData("e5")]
    [InlineData("infinity")]
    public void ParseFloatNaN(string text) => Assert.True(double.IsNaN(JsNumberParser.ParseFloat(text)));

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData(" 12 ", 12)]
    [InlineData("12.5", 12.5)]
    [InlineData("-1e3", -1000)]
    [InlineData("0x1f", 31)]
    [InlineData("0X1F", 31)]
    [InlineData("0o17", 15)]
    [InlineData("0b101", 5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5)]
    [InlineData("+Infinity", double.PositiveInfinity)]
    public void Number(string text, double expected) => Assert.Equal(expected, JsNumberParser.Number(text));

    [Theory]
    [InlineData("12abc")]
    [InlineData("1_000")]
    [InlineData("-0x10")]
    [InlineData("0x")]
    [InlineData("0b2")]
    [InlineData("1e")]
    [InlineData(".")]
    [InlineData("abc")]
    public void NumberNaN(string text) => Assert.True(double.IsNaN(JsNumberParser.Number(text)));
}
