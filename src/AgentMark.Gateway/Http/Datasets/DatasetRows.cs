using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Json;
using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>
/// The canonical stored row (templates-and-evals §6.1, §6.3): <c>{"input","expected_output","metadata"}</c>
/// in that order, compact, non-ASCII written literally, one line ending in <c>\n</c>.
/// </summary>
public static class DatasetRows
{
    private static readonly string[] Keys = ["input", "expected_output", "metadata"];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Like JSON.stringify, no escaping of non-ASCII or HTML-sensitive characters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Validates an append body (strict: only the three keys; <c>metadata</c> an object) and returns the
    /// line to store, or the 400 to send.
    /// </summary>
    public static (byte[]? Line, ApiError? Error) FromBody(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return (null, ApiError.InvalidBody("_", $"Expected object, received {JsonKinds.Name(body.ValueKind)}"));
        JsonElement? input = null, expected = null, metadata = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "input": input = property.Value; break;
                case "expected_output": expected = property.Value; break;
                case "metadata": metadata = property.Value; break;
                default: return (null, ApiError.InvalidBody("_", $"Unrecognized key: \"{property.Name}\""));
            }
        }
        if (metadata is { ValueKind: not JsonValueKind.Object } wrong)
            return (null, ApiError.InvalidBody("metadata", $"Expected object, received {JsonKinds.Name(wrong.ValueKind)}"));
        try
        {
            return (Line(
                input is { } i ? i.WriteTo : null,
                expected is { } e ? e.WriteTo : w => w.WriteNullValue(),
                metadata is { } m ? m.WriteTo : WriteEmptyObject), null);
        }
        catch (ArgumentException error)
        {
            // Text the writer refuses (e.g. an unpaired surrogate escape).
            return (null, ApiError.InvalidBody("_", error.Message));
        }
    }

    /// <summary>A row built from an import source; <paramref name="input"/> is always present (it may be JSON null).</summary>
    public static byte[] FromValues(JsonNode? input, JsonNode? expectedOutput, JsonObject metadata) =>
        Line(w => WriteNode(w, input), w => WriteNode(w, expectedOutput), w => metadata.WriteTo(w));

    /// <param name="input">Null when the body had no <c>input</c>: the line then has no such key (as JSON.stringify drops undefined).</param>
    private static byte[] Line(Action<Utf8JsonWriter>? input, Action<Utf8JsonWriter> expectedOutput, Action<Utf8JsonWriter> metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (input is not null)
            {
                writer.WritePropertyName(Keys[0]);
                input(writer);
            }
            writer.WritePropertyName(Keys[1]);
            expectedOutput(writer);
            writer.WritePropertyName(Keys[2]);
            metadata(writer);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null) writer.WriteNullValue();
        else node.WriteTo(writer);
    }

    private static void WriteEmptyObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
