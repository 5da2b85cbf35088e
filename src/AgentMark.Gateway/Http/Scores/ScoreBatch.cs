using System.Text.Json;
using AgentMark.Gateway.Errors;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>
/// POST /v1/scores/batch (wire-contract §11.2): the envelope is checked as a whole, each item on
/// its own, and only the valid items are stored — together, in one transaction.
/// </summary>
internal sealed class ScoreBatch
{
    public const int MaxItems = 1000;
    public const int MaxClientIdLength = 128;

    private readonly BatchItemResult?[] _results;
    private readonly string?[] _clientIds;
    /// <summary>The valid items and where each sits in the input.</summary>
    public List<NewScore> Valid { get; } = [];
    private readonly List<int> _validAt = [];

    private ScoreBatch(int count)
    {
        _results = new BatchItemResult?[count];
        _clientIds = new string?[count];
    }

    /// <summary>Checks the envelope and validates every item; an envelope error comes back instead.</summary>
    public static (ScoreBatch? Batch, ApiError? Error) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, ApiError.InvalidBody("_", $"Expected object, received {ScoreRequestReader.Kind(root)}"));
        if (ScoreRequestReader.HasUndecodableKey(root)) return (null, ApiError.InvalidBody("_", ScoreRequestReader.LoneSurrogate));
        if (!root.TryGetProperty("scores", out var items)) return (null, ApiError.InvalidBody("scores", "Required"));
        if (items.ValueKind != JsonValueKind.Array) return (null, ApiError.InvalidBody("scores", $"Expected array, received {ScoreRequestReader.Kind(items)}"));
        var count = items.GetArrayLength();
        if (count == 0) return (null, ApiError.InvalidBody("scores", "scores must contain at least one item"));
        if (count > MaxItems)
            return (null, new ApiError(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"Batch size {count} exceeds max of {MaxItems}"));

        var batch = new ScoreBatch(count);
        var problems = new List<ScoreProblem>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            problems.Clear();
            var score = ScoreRequestReader.Read(item, strictDataType: true, problems);
            var clientId = problems.Count == 0 || problems[0].Field != "_" ? ClientId(item, problems) : null;
            batch._clientIds[index] = clientId;
            if (problems.Count > 0)
            {
                var first = problems[0];
                var error = first.Missing
                    ? new BatchItemError("missing_required_field", $"{first.Field} is required")
                    : new BatchItemError("invalid_field_value", first.Field == "_" ? first.Message : $"{first.Field}: {first.Message}");
                batch._results[index] = new BatchItemResult { Status = "error", ClientId = clientId, Error = error };
            }
            else
            {
                batch.Valid.Add(score!);
                batch._validAt.Add(index);
            }
            index++;
        }
        return (batch, null);
    }

    /// <summary>The optional correlation id: echoed, never stored.</summary>
    private static string? ClientId(JsonElement item, List<ScoreProblem> problems)
    {
        if (!ScoreRequestReader.Present(item, "client_id", out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && ScoreRequestReader.TryText(value, out var text) && text.Length <= MaxClientIdLength) return text;
        problems.Add(new("client_id", $"Expected a string of at most {MaxClientIdLength} characters", false));
        return null;
    }

    /// <summary>The answer once the valid items are stored (<paramref name="stored"/> in <see cref="Valid"/> order).</summary>
    public (int Status, BatchOutcome Outcome) Complete(IReadOnlyList<ScoreRecord> stored)
    {
        for (var i = 0; i < stored.Count; i++)
        {
            var at = _validAt[i];
            _results[at] = new BatchItemResult { Status = "success", ClientId = _clientIds[at], Id = stored[i].Id };
        }
        var succeeded = stored.Count;
        var failed = _results.Length - succeeded;
        var status = failed == 0 ? StatusCodes.Status201Created
            : succeeded == 0 ? StatusCodes.Status400BadRequest
            : StatusCodes.Status207MultiStatus;
        return (status, new BatchOutcome(_results!, new BatchSummary(_results.Length, succeeded, failed)));
    }
}
