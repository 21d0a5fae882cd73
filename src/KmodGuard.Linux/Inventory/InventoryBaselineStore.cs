using System.Text.Json;

namespace KmodGuard.Linux.Inventory;

/// <summary>Keeps the last <see cref="InventoryBaseline"/> as JSON in the agent's state directory, replaced atomically.</summary>
internal sealed class InventoryBaselineStore(string stateDirectory)
{
    public const string FileName = "module-baseline.json";

    /// <summary>A baseline is a list of module names; anything this large is not ours.</summary>
    private const long MaxBytes = 16 << 20;

    public string FilePath { get; } = Path.Combine(stateDirectory, FileName);

    /// <summary>The saved baseline; null with <paramref name="error"/> null when there is none yet, null with an error when it is unreadable or corrupt.</summary>
    public InventoryBaseline? Load(out string? error)
    {
        error = null;
        try
        {
            var info = new FileInfo(FilePath);
            if (!info.Exists)
            {
                return null;
            }

            if (info.Length > MaxBytes)
            {
                error = $"{FilePath}: {info.Length} bytes is too large for a module baseline; ignoring it";
                return null;
            }

            using FileStream stream = info.OpenRead();
            InventoryBaseline? baseline = JsonSerializer.Deserialize(stream, BaselineJsonContext.Default.InventoryBaseline);
            if (baseline?.Modules is null || baseline.Modules.Any(m => m?.Name is null))
            {
                error = $"{FilePath}: not a module baseline; ignoring it";
                return null;
            }

            return baseline;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            error = $"{FilePath}: {e.Message}; ignoring it";
            return null;
        }
    }

    /// <summary>Writes a temporary file next to the baseline and renames it over, so a crash never leaves half a file.</summary>
    public void Save(InventoryBaseline baseline)
    {
        Directory.CreateDirectory(stateDirectory);
        string temporary = FilePath + ".tmp";
        using (FileStream stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, baseline, BaselineJsonContext.Default.InventoryBaseline);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Compares <paramref name="current"/> with the saved baseline, then saves it as the new baseline.</summary>
    public BaselineChanges Update(ModuleInventory current, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        InventoryBaseline? previous = Load(out string? error);
        if (error is not null)
        {
            errors.Add(error);
        }

        BaselineChanges changes = BaselineChanges.Compare(previous, current);
        try
        {
            Save(InventoryBaseline.From(current));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{FilePath}: could not save the baseline: {e.Message}");
        }

        return changes;
    }
}
