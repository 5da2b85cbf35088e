namespace AgentMark.Templates.Syntax;

/// <summary>
/// A parse or bundle error with the source position when one is known (line/column 1-based,
/// offset 0-based, as the reference engine reports them). Every failure the engine can hit on
/// user input surfaces as this type, so callers map it to a 400 without catching anything broader.
/// </summary>
public sealed class TemplateSyntaxException : Exception
{
    public TemplateSyntaxException(string message, SourceSpan? position = null, string? file = null, Exception? inner = null)
        : base(message, inner)
    {
        Position = position;
        File = file;
    }

    public SourceSpan? Position { get; }
    /// <summary>The file the position refers to, when it is not the requested template itself.</summary>
    public string? File { get; }

    public int? Line => Position?.Start.Line;
    public int? Column => Position?.Start.Column;
    public int? Offset => Position?.Start.Offset;

    public TemplateSyntaxException WithPositionIfMissing(SourceSpan? position, string? file = null) =>
        Position is not null || position is null ? this : new TemplateSyntaxException(Message, position, file ?? File, InnerException);
}
