using System.Globalization;
using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http;

/// <summary>
/// Validates query parameters the way the contract's schemas do (wire-contract §1.5–§1.6):
/// numbers coerced from strings but integral, empty strings coerce to 0, only declared
/// multi-valued parameters may repeat, unknown parameters ignored. Collects the first problem per
/// parameter and reports them together as one <c>400 invalid_query_params</c>.
/// </summary>
public sealed class QueryReader(IQueryCollection query)
{
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);

    public ApiError? Error => _problems.Count == 0 ? null
        : new ApiError(StatusCodes.Status400BadRequest, "invalid_query_params", "Invalid query parameters") { Details = _problems };

    private void Problem(string name, string message) => _problems.TryAdd(name, message);

    public string? String(string name)
    {
        var values = query[name];
        if (values.Count == 0) return null;
        if (values.Count > 1)
        {
            Problem(name, "Expected a single value");
            return null;
        }
        return values[0];
    }

    /// <summary>A string filter: absent or empty means "no filter".</summary>
    public string? Filter(string name) => String(name) is { Length: > 0 } value ? value : null;

    public IReadOnlyList<string> Strings(string name)
    {
        var result = new List<string>();
        foreach (var value in query[name]) if (!string.IsNullOrEmpty(value)) result.Add(value);
        return result;
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        var raw = String(name);
        if (raw is null) return defaultValue;
        var value = ParseNumber(name, raw);
        if (value is null) return defaultValue;
        if (value < min) { Problem(name, $"Number must be greater than or equal to {min}"); return defaultValue; }
        if (value > max) { Problem(name, $"Number must be less than or equal to {max}"); return defaultValue; }
        return (int)value.Value;
    }

    public long? OptionalLong(string name, long min)
    {
        var raw = String(name);
        if (raw is null) return null;
        var value = ParseNumber(name, raw);
        if (value is null) return null;
        if (value < min) { Problem(name, $"Number must be greater than or equal to {min}"); return null; }
        return (long)value.Value;
    }

    private decimal? ParseNumber(string name, string raw)
    {
        // JavaScript Number(): "" → 0, "1e2" → 100, "10.5" → not an integer.
        var trimmed = raw.Trim();
        if (trimmed.Length == 0) return 0;
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            Problem(name, "Expected number, received nan");
            return null;
        }
        if (Math.Floor(number) != number)
        {
            Problem(name, "Expected integer, received float");
            return null;
        }
        if (Math.Abs(number) > 9_007_199_254_740_991d)
        {
            Problem(name, "Number is too large");
            return null;
        }
        return (decimal)number;
    }

    /// <summary>One of the allowed values, compared exactly.</summary>
    public string? OneOf(string name, params string[] allowed)
    {
        var raw = String(name);
        if (raw is null) return null;
        if (Array.IndexOf(allowed, raw) >= 0) return raw;
        Problem(name, $"Invalid enum value. Expected {string.Join(" | ", allowed.Select(a => $"'{a}'"))}, received '{raw}'");
        return null;
    }

    /// <summary>A <c>YYYY-MM-DD</c> date within 1970-01-01..2200-01-01.</summary>
    public DateOnly? Date(string name)
    {
        var raw = String(name);
        if (raw is null) return null;
        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Problem(name, "Invalid date, expected YYYY-MM-DD");
            return null;
        }
        if (date < new DateOnly(1970, 1, 1) || date > new DateOnly(2200, 1, 1))
        {
            Problem(name, "Date must be between 1970-01-01 and 2200-01-01");
            return null;
        }
        return date;
    }

    /// <summary>An ISO-8601 datetime ending in Z (offsets are rejected, as Zod's datetime() does).</summary>
    public DateTimeOffset? DateTime(string name)
    {
        var raw = String(name);
        if (raw is null) return null;
        if (!raw.EndsWith('Z') || !DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            || raw.Length < 20 || raw[10] != 'T')
        {
            Problem(name, "Invalid datetime, expected ISO 8601 UTC such as 2026-01-01T00:00:00.000Z");
            return null;
        }
        if (value < DateTimeOffset.UnixEpoch || value > new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
            Problem(name, "Date must be between 1970-01-01 and 2200-01-01");
            return null;
        }
        return value;
    }

    /// <summary>Rejects strings with unpaired UTF-16 surrogates (wire-contract §1.3).</summary>
    public string? SafeFilter(string name)
    {
        var value = Filter(name);
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(value[i]))
            {
                Problem(name, "String contains invalid UTF-8 (unpaired surrogate characters).");
                return null;
            }
        }
        return value;
    }

    public void Reject(string name, string message) => Problem(name, message);

    public static long UnixNanos(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static long UnixNanos(DateOnly date) => UnixNanos(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    /// <summary>The start of <paramref name="date"/> (UTC) in Unix milliseconds.</summary>
    public static long UnixMs(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
}
