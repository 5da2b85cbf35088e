using AgentMark.Core.Spans;
using Xunit.Sdk;

namespace AgentMark.Normalization.Tests.Support;

/// <summary>Compares every stored column of two records and reports all differences at once.</summary>
public static class RecordAssert
{
    public static void Equal(SpanRecord expected, SpanRecord actual)
    {
        var differences = new List<string>();
        foreach (var property in typeof(SpanRecord).GetProperties())
        {
            if (!property.CanWrite) continue; // derived (StartTimeMs)
            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            var same = e is double de && a is double da
                ? Math.Abs(de - da) <= 1e-12 * Math.Max(1, Math.Abs(de)) || de.Equals(da)
                : Equals(e, a);
            if (!same) differences.Add($"{property.Name}:\n    expected: {Show(e)}\n    actual:   {Show(a)}");
        }
        if (differences.Count > 0) throw new XunitException("Span record differs:\n" + string.Join("\n", differences));
    }

    private static string Show(object? value) => value switch
    {
        null => "(null)",
        string s => "\"" + s + "\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
