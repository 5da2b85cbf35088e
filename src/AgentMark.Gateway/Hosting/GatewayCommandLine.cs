namespace AgentMark.Gateway.Hosting;

/// <summary>The executable's commands: <c>serve</c> (default) and <c>--help</c>/<c>--version</c>.</summary>
public static class GatewayCommandLine
{
    public const string Usage = """
        AgentMark Gateway

        Usage: AgentMark.Gateway serve [options]

        Options (each also settable as an environment variable or in appsettings.json, section "AgentMark"):
          --host <address>      listen address            (AGENTMARK_HOST, default 127.0.0.1)
          --port <port>         listen port               (AGENTMARK_PORT, default 9418)
          --data-dir <path>     embedded store folder     (AGENTMARK_DATA_DIR, default ./.agentmark)
          --project-dir <path>  agentmark.json, templates (AGENTMARK_PROJECT_DIR, default .)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var rest = args;
        if (rest.Length > 0 && rest[0] is "serve") rest = rest[1..];
        else if (rest.Length > 0 && rest[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Usage);
            return 0;
        }
        else if (rest.Length > 0 && rest[0] is "--version" or "version")
        {
            Console.WriteLine(GatewayInfo.Version);
            return 0;
        }
        else if (rest.Length > 0 && !rest[0].StartsWith('-'))
        {
            Console.Error.WriteLine($"Unknown command '{rest[0]}'.\n\n{Usage}");
            return 2;
        }

        var app = GatewayApp.Create(rest);
        await app.RunAsync();
        return 0;
    }
}
