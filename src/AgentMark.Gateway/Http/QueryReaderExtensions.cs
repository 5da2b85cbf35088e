using System.Globalization;

namespace AgentMark.Gateway.Http;

/// <summary>Boolean and decimal query parameters (wire-contract §1.6), on top of <see cref="QueryReader"/>.</summary>
public static class QueryReaderExtensions
{
    /// <summary><c>true</c>/<c>false</c> in any case, or <c>1</c>/<c>0</c>; anything else is a 400.</summary>
    public static bool Bool(this QueryReader q, string name, bool defaultValue)
    {
        var raw = q.String(name);
        if (raw is null) return defaultValue;
        if (raw == "1" || raw.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (raw == "0" || raw.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        q.Reject(name, "Expected boolean (true or false)");
        return defaultValue;
    }

    /// <summary>A finite number coerced from the string as JavaScript's <c>Number()</c> does ("" is 0).</summary>
    public static double? OptionalNumber(this QueryReader q, string name)
    {
        var raw = q.String(name);
        if (raw is null) return null;
        var trimmed = raw.Trim();
        if (trimmed.Length == 0) return 0;
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) return number;
        q.Reject(name, "Expected number, received nan");
        return null;
    }
}
