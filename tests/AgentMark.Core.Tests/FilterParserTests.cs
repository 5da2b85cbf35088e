using System.Text.Json;
using AgentMark.Core.Filtering;

namespace AgentMark.Core.Tests;

public sealed class FilterParserTests
{
    private static FilterExpression Parse(string text, FilterSurface surface = FilterSurface.Traces)
    {
        var result = FilterParser.ParseQuery(text, surface);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Expression!;
    }

    private static FilterError Fail(string text, FilterSurface surface = FilterSurface.Traces)
    {
        var result = FilterParser.ParseQuery(text, surface);
        Assert.False(result.Succeeded, $"'{text}' should be refused");
        return result.Error!;
    }

    /// <summary>A compact rendering of the CNF: clauses joined by " AND ", OR groups in parentheses.</summary>
    private static string Show(FilterExpression e) => string.Join(" AND ", e.Clauses.Select(c =>
    {
        var parts = c.Predicates.Select(p => $"{p.Field.Name} {FilterOperators.Name(p.Operator)}{(p.Values.Count == 0 ? "" : " " + string.Join("|", p.Values.Select(v => v.Text)))}");
        return c.Predicates.Count == 1 ? parts.Single() : "(" + string.Join(" OR ", parts) + ")";
    }));

    [Theory]
    [InlineData("metadata.debug_screenshot_url exists", "metadata.debug_screenshot_url exists")]
    [InlineData("metadata.env = \"prod\" and status = ERROR", "metadata.env equals prod AND status equals 2")]
    [InlineData("cost > 0.01 and latency_ms <= 2000", "cost gt 0.01 AND latency_ms lte 2000")]
    [InlineData("(model = \"gpt-4o\" or model = \"o3\") and status = ERROR", "(model equals gpt-4o OR model equals o3) AND status equals 2")]
    [InlineData("  model_used = gpt-4o AND latency >= 5  ", "model equals gpt-4o AND latency_ms gte 5")]
    [InlineData("cost>0.01 and cost<1", "cost gt 0.01 AND cost lt 1")]
    [InlineData("name != x", null)]
    [InlineData("prompt_name NOT CONTAINS draft and input starts with \"Hello there\" and output ends with done", "prompt_name notContains draft AND input startsWith Hello there AND output endsWith done")]
    [InlineData("metadata.env does not exist", "metadata.env doesNotExist")]
    [InlineData("tags contains prod", "tags contains prod")]
    [InlineData("status = success and (status = fail or score__quality >= 0.5)", "status equals 1 AND (status equals 2 OR score__quality gte 0.5)")]
    [InlineData("input = \"say \\\"hi\\\" \\\\ bye\"", "input equals say \"hi\" \\ bye")]
    [InlineData("(model = a or model = b)and cost > 1", "(model equals a OR model equals b) AND cost gt 1")]
    public void The_string_dsl_parses_to_cnf(string text, string? expected)
    {
        if (expected is null)
        {
            Assert.Contains("Unknown field 'name'", Fail(text).Message);
            return;
        }
        Assert.Equal(expected, Show(Parse(text)));
    }

    [Fact]
    public void The_three_encodings_give_the_same_expression()
    {
        var dsl = Parse("(model = \"gpt-4o\" or model = \"o3\") and latency_ms > 2000 and metadata.env exists");
        var array = Parse("""[{"or":[{"field":"model","operator":"equals","value":"gpt-4o"},{"field":"model","operator":"=","value":"o3"}]},{"field":"latency_ms","operator":"gt","value":2000},{"field":"metadata.env","operator":"exists"}]""");
        var tree = Parse("""{"op":"and","exprs":[{"op":"or","exprs":[{"field":"model","op":"eq","value":"gpt-4o"},{"field":"model","op":"eq","value":"o3"}]},{"field":"latency_ms","op":"gt","value":"2000"},{"field":"metadata.env","op":"exists"}]}""");
        using var body = JsonDocument.Parse("""[{"or":[{"field":"model","operator":"equals","value":"gpt-4o"},{"field":"model","operator":"equals","value":"o3"}]},{"field":"latency","operator":">","value":2e3},{"field":"metadata.env","operator":"exists"}]""");
        var search = FilterParser.ParseSearchFilters(body.RootElement, FilterSurface.Traces);
        Assert.True(search.Succeeded, search.Error?.Message);

        var expected = "(model equals gpt-4o OR model equals o3) AND latency_ms gt 2000 AND metadata.env exists";
        Assert.Equal(expected, Show(dsl));
        Assert.Equal(expected, Show(array));
        Assert.Equal(expected, Show(tree));
        Assert.Equal(expected, Show(search.Expression!));
        Assert.Equal(2000, array.Clauses[1].Predicates[0].Value.Number);
    }

    [Fact]
    public void An_or_root_becomes_one_group_and_a_bare_leaf_one_clause()
    {
        Assert.Equal("(status equals 2 OR cost gt 1)", Show(Parse("""{"op":"or","exprs":[{"field":"status","op":"eq","value":"FAIL"},{"field":"cost","op":"gt","value":1}]}""")));
        Assert.Equal("tags in a|b", Show(Parse("""{"field":"tags","op":"in","value":["a","b"]}""")));
    }

    [Theory]
    [InlineData("eq", FilterOperator.Equal)] [InlineData("ne", FilterOperator.NotEqual)] [InlineData("neq", FilterOperator.NotEqual)]
    [InlineData("!=", FilterOperator.NotEqual)] [InlineData("not_equals", FilterOperator.NotEqual)] [InlineData("like", FilterOperator.Contains)]
    [InlineData("not_contains", FilterOperator.NotContains)] [InlineData("starts_with", FilterOperator.StartsWith)] [InlineData("ends_with", FilterOperator.EndsWith)]
    [InlineData("not_exists", FilterOperator.DoesNotExist)] [InlineData("does_not_exist", FilterOperator.DoesNotExist)] [InlineData("not_in", FilterOperator.NotIn)]
    [InlineData("<", FilterOperator.Lt)] [InlineData("<=", FilterOperator.Lte)] [InlineData(">", FilterOperator.Gt)] [InlineData(">=", FilterOperator.Gte)]
    public void Json_forms_accept_the_operator_aliases(string alias, FilterOperator expected)
    {
        Assert.True(FilterOperators.TryParseJson(alias, out var op));
        Assert.Equal(expected, op);
    }

    [Fact]
    public void Numbers_are_normalized_to_javascript_strings_for_string_fields()
    {
        var e = Parse("""[{"field":"user_id","operator":"in","value":[42, 1.5, "x"]},{"field":"cost","operator":"between","value":[0.1, "1e-3"]}]""");
        Assert.Equal(["42", "1.5", "x"], e.Clauses[0].Predicates[0].Values.Select(v => v.Text));
        Assert.Equal([0.1, 0.001], e.Clauses[1].Predicates[0].Values.Select(v => v.Number));
    }

    [Fact]
    public void Scores_have_their_own_fields_and_datetimes()
    {
        var e = Parse("""[{"field":"created_at","operator":"between","value":["2026-01-01T00:00:00.000Z","2026-01-02T00:00:00Z"]},{"field":"name","operator":"equals","value":"accuracy"}]""", FilterSurface.Scores);
        Assert.Equal(1_767_225_600_000d, e.Clauses[0].Predicates[0].Values[0].Number);
        Assert.Contains("Unknown field 'model' for scores", Fail("""[{"field":"model","operator":"equals","value":"x"}]""", FilterSurface.Scores).Message);
        Assert.Contains("Unknown field 'metadata.env' for scores", Fail("""[{"field":"metadata.env","operator":"exists"}]""", FilterSurface.Scores).Message);
        Assert.Contains("not valid for field 'created_at' (datetime)", Fail("""[{"field":"created_at","operator":"equals","value":"2026-01-01T00:00:00Z"}]""", FilterSurface.Scores).Message);
    }

    [Fact]
    public void Empty_filters_mean_no_filter()
    {
        Assert.True(Parse("").IsEmpty);
        Assert.True(Parse("   ").IsEmpty);
        Assert.True(Parse("[]").IsEmpty);
        Assert.True(FilterParser.ParseQuery(null, FilterSurface.Spans).Expression!.IsEmpty);
    }

    [Theory]
    [InlineData("model =", "Operator '=' requires a value at position 8")]
    [InlineData("model = \"gpt", "Unterminated quoted value starting at position 9")]
    [InlineData("(model = a or model = b", "missing ')' for the '(' at position 1")]
    [InlineData("model = a or cost > 1", "'or' is only allowed inside parentheses (position 11)")]
    [InlineData("(model = a and cost > 1)", "'and' cannot appear inside parentheses (position 12)")]
    [InlineData("cost >> 1", "Unknown operator '>>' at position 6")]
    [InlineData("model in (a, b)", "cannot be written in the string DSL (position 7)")]
    [InlineData("model = a cost > 1", "Expected 'and' or the end of the filter at position 11, found 'cost'")]
    [InlineData("modle = a", "Unknown field 'modle' for traces")]
    [InlineData("model > 3", "Operator 'gt' is not valid for field 'model' (string) (at position 1)")]
    public void Errors_say_what_and_where(string text, string expected)
    {
        var error = Fail(text);
        Assert.Equal("invalid_filter", error.Code);
        Assert.Contains(expected, error.Message);
        Assert.Equal(error.Message, error.Details["filter"]);
    }

    [Fact]
    public void Search_body_errors_are_keyed_by_path()
    {
        static FilterError Body(string json)
        {
            using var document = JsonDocument.Parse(json);
            return FilterParser.ParseSearchFilters(document.RootElement, FilterSurface.Spans).Error!;
        }
        var shape = Body("""[{"field":"model","operator":"equals","value":"a"},{"or":[{"field":1,"operator":"eq"},{"field":"cost","operator":"bogus"}]}]""");
        Assert.True(shape.IsShapeError);
        Assert.Equal("invalid_request_body", shape.Code);
        Assert.Equal("Expected string, received number", shape.Details["filters.1.or.0.field"]);
        Assert.StartsWith("Invalid enum value", shape.Details["filters.1.or.1.operator"]);

        var semantic = Body("""[{"field":"model","operator":"equals","value":"a"},{"or":[{"field":"cost","operator":"gt","value":1},{"field":"cost","operator":"gt","value":"abc"}]}]""");
        Assert.Equal("invalid_filter", semantic.Code);
        Assert.Equal(["filters.1.or.1"], semantic.Details.Keys);
        Assert.Contains("'abc' is not a number", semantic.Message);
    }

    [Fact]
    public void Parsing_a_typical_filter_takes_microseconds()
    {
        const string text = "(model = \"gpt-4o\" or model = \"o3\") and latency_ms > 2000 and metadata.env = prod and status = ERROR";
        // Warm up long enough for tiered compilation to reach optimized code, then take the best of several
        // rounds: the machine is shared, and a round that lost the CPU says nothing about the parser.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1.5)) FilterParser.ParseQuery(text, FilterSurface.Traces);
        var microseconds = double.MaxValue;
        for (var round = 0; round < 8; round++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            const int runs = 5_000;
            for (var i = 0; i < runs; i++) FilterParser.ParseQuery(text, FilterSurface.Traces);
            microseconds = Math.Min(microseconds, clock.Elapsed.TotalMicroseconds / runs);
        }
        // The budget (50 µs per request) is measured by the bench's filter-parse command in a normal process:
        // ~5-12 µs here. Under the test host the JIT often never tiers this loop up (~120 µs), so this bound
        // only guards against pathological behaviour such as runaway backtracking.
        Assert.True(microseconds < 1_000, $"{microseconds:F1} µs per parse");
    }
}
