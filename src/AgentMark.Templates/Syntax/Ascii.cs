namespace AgentMark.Templates.Syntax;

internal static class Ascii
{
    /// <summary>ASCII punctuation as CommonMark defines it (escapable characters).</summary>
    public static bool IsPunctuation(int c) =>
        c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~';
}
