using System.Text;

namespace AgentMark.Core.Filtering;

/// <summary>
/// The string DSL of the GET endpoints (wire-contract §10.2):
/// <c>clause *( "and" clause )</c>, a clause being a predicate or <c>( predicate *( "or" predicate ) )</c>.
/// Keywords are case-insensitive; symbolic operators may touch their operands (<c>cost&gt;0.01</c>).
/// Errors name the 1-based character position.
/// </summary>
internal sealed class DslParser
{
    private const string Key = "filter";
    private const string OperatorList = "=, !=, >, >=, <, <=, contains, not contains, starts with, ends with, exists, does not exist";

    private readonly string _text;
    private int _pos;

    private DslParser(string text) => _text = text;

    /// <summary>Parses the text into raw clauses, or returns the syntax error message.</summary>
    public static bool TryParse(string text, out List<IReadOnlyList<RawPredicate>> clauses, out string error)
    {
        var parser = new DslParser(text);
        clauses = [];
        try
        {
            parser.ParseFilter(clauses);
            error = "";
            return true;
        }
        catch (DslSyntaxException syntax)
        {
            error = syntax.Message;
            return false;
        }
    }

    private void ParseFilter(List<IReadOnlyList<RawPredicate>> clauses)
    {
        while (true)
        {
            SkipSpace();
            if (AtEnd) throw Error($"Expected a predicate at position {Position}");
            clauses.Add(ParseClause());
            SkipSpace();
            if (AtEnd) return;
            if (TryKeyword("and")) continue;
            if (Peek == ')') throw Error($"Unbalanced parentheses: unexpected ')' at position {Position}");
            if (TryKeyword("or"))
                throw Error($"'or' is only allowed inside parentheses (position {Position - 2}), e.g. (model = \"a\" or model = \"b\")");
            throw Error($"Expected 'and' or the end of the filter at position {Position}, found '{Fragment()}'");
        }
    }

    private IReadOnlyList<RawPredicate> ParseClause()
    {
        if (Peek == ')') throw Error($"Unbalanced parentheses: unexpected ')' at position {Position}");
        if (Peek != '(') return [ParsePredicate()];

        var open = Position;
        _pos++;
        var group = new List<RawPredicate>();
        while (true)
        {
            SkipSpace();
            if (AtEnd) throw Error($"Unbalanced parentheses: missing ')' for the '(' at position {open}");
            if (Peek == '(') throw Error($"Parentheses cannot be nested (position {Position})");
            if (Peek == ')') throw Error($"Expected a predicate at position {Position}, found ')'");
            group.Add(ParsePredicate());
            SkipSpace();
            if (AtEnd) throw Error($"Unbalanced parentheses: missing ')' for the '(' at position {open}");
            if (Peek == ')') { _pos++; return group; }
            if (TryKeyword("or")) continue;
            if (TryKeyword("and"))
                throw Error($"'and' cannot appear inside parentheses (position {Position - 3}); write (a or b) and c");
            throw Error($"Expected 'or' or ')' at position {Position}, found '{Fragment()}'");
        }
    }

    private RawPredicate ParsePredicate()
    {
        var start = Position;
        var fieldStart = _pos;
        while (!AtEnd && !char.IsWhiteSpace(Peek) && Peek is not ('(' or ')' or '"' or '=' or '!' or '<' or '>')) _pos++;
        var field = _text[fieldStart.._pos];
        if (field.Length == 0) throw Error($"Expected a field name at position {Position}, found '{Fragment()}'");
        if (field.Equals("and", StringComparison.OrdinalIgnoreCase) || field.Equals("or", StringComparison.OrdinalIgnoreCase))
            throw Error($"Expected a field name at position {start}, found the keyword '{field}'");

        SkipSpace();
        if (AtEnd || Peek == ')') throw Error($"Expected an operator after '{field}' at position {Position}");
        var op = ParseOperator(out var opText);

        RawValue? value = null;
        var afterOperator = Position;
        SkipSpace();
        if (FilterOperators.TakesNoValue(op))
        {
            if (!AtEnd && Peek != ')' && !LooksLikeKeyword("and") && !LooksLikeKeyword("or"))
                throw Error($"Operator '{opText}' does not take a value (position {Position})");
        }
        else
        {
            if (AtEnd || Peek == ')') throw Error($"Operator '{opText}' requires a value at position {afterOperator}");
            value = RawValue.Scalar(Peek == '"' ? ReadQuoted() : ReadBare());
        }
        return new RawPredicate(field, op, value, Key, $"position {start}");
    }

    private FilterOperator ParseOperator(out string text)
    {
        var start = _pos;
        if (Peek is '=' or '!' or '<' or '>')
        {
            while (!AtEnd && Peek is '=' or '!' or '<' or '>') _pos++;
            text = _text[start.._pos];
            return text switch
            {
                "=" => FilterOperator.Equal,
                "!=" => FilterOperator.NotEqual,
                ">" => FilterOperator.Gt,
                ">=" => FilterOperator.Gte,
                "<" => FilterOperator.Lt,
                "<=" => FilterOperator.Lte,
                _ => throw Error($"Unknown operator '{text}' at position {start + 1}; expected one of {OperatorList}"),
            };
        }

        var word = ReadWord();
        FilterOperator op;
        switch (word.ToLowerInvariant())
        {
            case "contains": op = FilterOperator.Contains; break;
            case "exists": op = FilterOperator.Exists; break;
            case "not": ExpectWord("contains", "not"); op = FilterOperator.NotContains; break;
            case "starts": ExpectWord("with", "starts"); op = FilterOperator.StartsWith; break;
            case "ends": ExpectWord("with", "ends"); op = FilterOperator.EndsWith; break;
            case "does": ExpectWord("not", "does"); ExpectWord("exist", "does not"); op = FilterOperator.DoesNotExist; break;
            case "in" or "notin" or "not_in" or "between":
                throw Error($"Operator '{word}' cannot be written in the string DSL (position {start + 1}); use an OR group such as (model = \"a\" or model = \"b\"), or the JSON form");
            case "":
                throw Error($"Expected an operator at position {start + 1}, found '{Fragment()}'");
            default:
                throw Error($"Unknown operator '{word}' at position {start + 1}; expected one of {OperatorList}");
        }
        text = _text[start.._pos].ToLowerInvariant();
        return op;
    }

    private void ExpectWord(string expected, string after)
    {
        var gap = _pos;
        SkipSpace();
        var at = Position;
        var word = _pos > gap ? ReadWord() : "";
        if (!word.Equals(expected, StringComparison.OrdinalIgnoreCase))
            throw Error($"Expected '{expected}' after '{after}' at position {at}");
    }

    private string ReadWord()
    {
        var start = _pos;
        while (!AtEnd && char.IsAsciiLetter(Peek) || !AtEnd && Peek == '_') _pos++;
        return _text[start.._pos];
    }

    private string ReadQuoted()
    {
        var open = Position;
        _pos++;
        var sb = new StringBuilder();
        while (!AtEnd)
        {
            var c = _text[_pos++];
            if (c == '"') return sb.ToString();
            if (c == '\\' && !AtEnd && Peek is '"' or '\\') c = _text[_pos++];
            sb.Append(c);
        }
        throw Error($"Unterminated quoted value starting at position {open}");
    }

    private string ReadBare()
    {
        var start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(Peek) && Peek != ')') _pos++;
        return _text[start.._pos];
    }

    private bool TryKeyword(string word)
    {
        if (!LooksLikeKeyword(word)) return false;
        _pos += word.Length;
        if (!AtEnd && !char.IsWhiteSpace(Peek) && Peek != '(')
        {
            _pos -= word.Length;
            return false;
        }
        return true;
    }

    private bool LooksLikeKeyword(string word) =>
        string.Compare(_text, _pos, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && _pos + word.Length <= _text.Length
        && (_pos + word.Length == _text.Length || char.IsWhiteSpace(_text[_pos + word.Length]) || _text[_pos + word.Length] == '(');

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Peek)) _pos++;
    }

    private bool AtEnd => _pos >= _text.Length;
    private char Peek => _text[_pos];
    private int Position => _pos + 1;

    private string Fragment()
    {
        var end = _pos;
        while (end < _text.Length && !char.IsWhiteSpace(_text[end]) && end - _pos < 20) end++;
        return end == _pos ? (AtEnd ? "" : _text[_pos].ToString()) : _text[_pos..end];
    }

    private static DslSyntaxException Error(string message) => new(message);

    private sealed class DslSyntaxException(string message) : Exception(message);
}
