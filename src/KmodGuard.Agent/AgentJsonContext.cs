using System.Text.Json.Serialization;
using KmodGuard.Agent.Service;
using KmodGuard.Agent.Status;

namespace KmodGuard.Agent;

/// <summary>Source-generated JSON (NativeAOT: no reflection) for what the agent's commands print or serve; snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(StatusSnapshot))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(AgentVersion))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
