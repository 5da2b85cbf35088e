using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>A reusable Microsoft.Data.Sqlite command whose parameters <c>$p0…</c> are set by index.</summary>
internal static class PositionalCommand
{
    public static SqliteCommand Create(SqliteConnection connection, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++) command.Parameters.Add(new SqliteParameter("$p" + i, null));
        return command;
    }
}
