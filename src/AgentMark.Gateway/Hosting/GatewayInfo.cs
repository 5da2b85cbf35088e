using System.Reflection;

namespace AgentMark.Gateway.Hosting;

public static class GatewayInfo
{
    public static string Version { get; } =
        typeof(GatewayInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
