namespace AgentMark.Gateway.Hosting;

/// <summary>
/// Maps the documented flags and AGENTMARK_* variables onto the "AgentMark" configuration section.
/// Precedence (lowest first): appsettings.json, environment variables, command line.
/// </summary>
public static class GatewayConfiguration
{
    private static readonly (string Flag, string Env, string Key)[] Settings =
    [
        ("--host", "AGENTMARK_HOST", "Host"),
        ("--port", "AGENTMARK_PORT", "Port"),
        ("--data-dir", "AGENTMARK_DATA_DIR", "DataDir"),
        ("--project-dir", "AGENTMARK_PROJECT_DIR", "ProjectDir"),
    ];

    public static Dictionary<string, string> SwitchMappings() =>
        Settings.ToDictionary(s => s.Flag, s => $"{GatewayOptions.Section}:{s.Key}");

    public static void AddGatewaySources(this IConfigurationBuilder builder, string[] args)
    {
        var fromEnvironment = new Dictionary<string, string?>();
        foreach (var (_, env, key) in Settings)
        {
            var value = Environment.GetEnvironmentVariable(env);
            if (!string.IsNullOrEmpty(value)) fromEnvironment[$"{GatewayOptions.Section}:{key}"] = value;
        }
        builder.AddInMemoryCollection(fromEnvironment);
        builder.AddCommandLine(args, SwitchMappings());
    }
}
