using AgentMark.Gateway.Hosting;

return await GatewayCommandLine.RunAsync(args);
