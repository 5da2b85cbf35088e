using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Errors;

/// <summary>Types that may appear as error extras.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
