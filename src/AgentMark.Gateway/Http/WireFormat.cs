using System.Globalization;
using System.Text.Json;

namespace AgentMark.Gateway.Http;

/// <summary>Wire conversions shared by every resource (wire-contract §1.3, ingestion §6.2).</summary>
public static class WireFormat
{
    /// <summary>ISO-8601 UTC, exactly three fractional digits (truncated), literal Z.</summary>
    public static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string IsoFromNanos(long unixNs) => Iso(FloorDiv(unixNs, 1_000_000));

    public static string IsoFromMs(double unixMs) => Iso((long)Math.Floor(unixMs));

    private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);

    /// <summary>
    /// The stored metadata object with the reserved <c>graph.node.*</c> keys removed; every value a
    /// string (a non-string value, if one was ever stored, is JSON-serialized).
    /// </summary>
    public static Dictionary<string, string> Metadata(string? json) => Metadata(json, includeReserved: false);

    /// <summary>The stored metadata object; <paramref name="includeReserved"/> keeps the <c>graph.node.*</c> keys (graph building).</summary>
    public static Dictionary<string, string> Metadata(string? json, bool includeReserved)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return result;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return result;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!includeReserved && property.Name.StartsWith("graph.node.", StringComparison.Ordinal)) continue;
                result[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetRawText();
            }
        }
        catch (JsonException)
        {
            // Stored by this gateway, so never malformed in practice; an unreadable value is no metadata.
        }
        return result;
    }

    public static string? EmptyToNull(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
