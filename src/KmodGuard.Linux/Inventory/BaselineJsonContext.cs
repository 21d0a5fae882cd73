using System.Text.Json.Serialization;

namespace KmodGuard.Linux.Inventory;

/// <summary>Source-generated (NativeAOT-safe) JSON for the persisted baseline.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(InventoryBaseline))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
