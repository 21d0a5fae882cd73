using KmodGuard.Core.Attack;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Linux.KernelLog;
using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.Inventory;

/// <summary>
/// Takes a <see cref="ModuleInventory"/> from /proc/modules, /sys/module, modules.dep and /proc/sys/kernel/tainted, and
/// compares the two module views (§3.8 of the detection notes): a rootkit that unlinks itself from the module list
/// keeps its /sys/module directory. The kernel log's module messages since boot come along (they name the module
/// behind a taint that no loaded module explains).
/// </summary>
/// <param name="inspectFile">The module inspector, called for each listed module whose file modules.dep names; null to skip inspection.</param>
internal sealed class ModuleInventoryReader(HostPaths paths, Func<string, ModuleFacts>? inspectFile = null, TimeProvider? time = null)
{
    private static readonly string[] HiddenTechniques = [AttackTechniques.Rootkit, AttackTechniques.KernelModulesAndExtensions];
    private static readonly string[] RootkitTechnique = [AttackTechniques.Rootkit];

    /// <summary>Module taint letters that a loaded module carries for as long as it is loaded (POECF).</summary>
    private static readonly string ModuleTaintLetters =
        string.Concat(Enum.GetValues<KernelModuleMessageKind>().Select(KernelModuleMessage.TaintLetterOf).OfType<char>());

    private readonly SysModuleReader _sys = new(paths);

    public ModuleInventory Read()
    {
        var errors = new List<string>();
        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        string? release = KernelAttribute.Read(paths.OsRelease);
        string? taintText = KernelAttribute.Read(paths.Tainted);
        KernelTaint? taint = taintText is null ? null : KernelTaint.Parse(taintText);
        if (taintText is not null && taint is null)
        {
            errors.Add($"{paths.Tainted}: '{taintText}' is not a number");
        }

        // Under a fake root there is no boot to date the log by: times then count from the epoch.
        DateTimeOffset bootTime = paths.IsReal ? KmsgFollower.BootTime : DateTimeOffset.UnixEpoch;
        var inventory = new ModuleInventory
        {
            TakenAt = now,
            KernelMessages = KernelLogHistory.ModuleMessages(paths, bootTime, errors),
            KernelRelease = release,
            BootId = KernelAttribute.Read(paths.BootId),
            ModuleSupport = File.Exists(paths.ProcModules),
            Taint = taint,
            Errors = errors,
        };
        if (!inventory.ModuleSupport)
        {
            return inventory;
        }

        // /sys/module first: the kernel lists a module before it creates its sysfs entry and removes the entry
        // before unlisting it, so a module seen here is either listed below or a candidate to re-check.
        Dictionary<string, SysModuleInfo> sys = _sys.ReadAll().Where(s => s.IsLoadable).ToDictionary(s => s.Name, StringComparer.Ordinal);
        List<ProcModuleLine>? listed = ReadProcModules(errors);
        if (listed is null)
        {
            return inventory;
        }

        KernelModuleIndex? dep = release is null ? null : LoadIndex(release, errors);
        var modules = listed.Select(l => Listed(l, sys.GetValueOrDefault(l.Name), dep, errors)).ToList();
        var listedNames = listed.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        List<LoadedModule> hidden = ConfirmHidden(sys.Values.Where(s => s.InitState != "going" && !listedNames.Contains(s.Name)), errors);
        modules.AddRange(hidden);

        return inventory with { Modules = modules, Findings = Findings(modules, taint, inventory.KernelMessages) };
    }

    private List<ProcModuleLine>? ReadProcModules(List<string> errors)
    {
        try
        {
            return ProcModulesParser.Parse(File.ReadAllText(paths.ProcModules), errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{paths.ProcModules}: {e.Message}");
            return null;
        }
    }

    /// <summary>The kernel's modules.dep (as modprobe reads it), under the fake root in tests; none when it is missing.</summary>
    private KernelModuleIndex? LoadIndex(string release, List<string> errors)
    {
        try
        {
            return KernelModuleIndex.Load($"/lib/modules/{release}", paths.IsReal ? null : paths.Root.TrimEnd('/'), aliases: false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{paths.LibModules(release)}/modules.dep: {e.Message}");
            return null;
        }
    }

    private LoadedModule Listed(ProcModuleLine line, SysModuleInfo? sys, KernelModuleIndex? dep, List<string> errors)
    {
        string? file = dep?.PathOf(line.Name);
        return new LoadedModule
        {
            Name = line.Name,
            Listed = true,
            Size = line.Size,
            RefCount = line.RefCount ?? sys?.RefCount,
            State = line.State,
            InitState = sys?.InitState,
            Taint = sys?.Taint ?? line.Taints ?? "",
            SrcVersion = sys?.SrcVersion,
            Version = sys?.Version,
            Holders = sys?.Holders ?? line.UsedBy.Where(u => u != ProcModulesParser.PermanentMarker).ToArray(),
            Permanent = line.Permanent,
            HasSections = sys?.HasSections,
            FilePath = file,
            Inspection = file is null ? null : Inspect(file, errors),
        };
    }

    private ModuleFacts? Inspect(string file, List<string> errors)
    {
        if (inspectFile is null)
        {
            return null;
        }

        try
        {
            return inspectFile(Path.Combine(paths.Root, file.TrimStart('/')));
        }
#pragma warning disable CA1031 // One bad module file must not cost the whole inventory.
        catch (Exception e)
#pragma warning restore CA1031
        {
            errors.Add($"{file}: inspection failed: {e.Message}");
            return null;
        }
    }

    /// <summary>A candidate is hidden only if it is still in /sys/module and still unlisted on a second look (not unloaded or loaded meanwhile).</summary>
    private List<LoadedModule> ConfirmHidden(IEnumerable<SysModuleInfo> candidates, List<string> errors)
    {
        var list = candidates.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var again = new HashSet<string>(ReadProcModules(errors)?.Select(l => l.Name) ?? [], StringComparer.Ordinal);
        return list
            .Where(s => !again.Contains(s.Name) && _sys.ReadInitState(s.Name) is not (null or "going"))
            .Select(s => new LoadedModule
            {
                Name = s.Name,
                Listed = false,
                RefCount = s.RefCount,
                InitState = s.InitState,
                Taint = s.Taint,
                SrcVersion = s.SrcVersion,
                Version = s.Version,
                Holders = s.Holders,
                HasSections = s.HasSections,
            })
            .ToList();
    }

    private static List<InventoryFinding> Findings(List<LoadedModule> modules, KernelTaint? taint, IReadOnlyList<KernelModuleMessage> messages)
    {
        var findings = new List<InventoryFinding>();
        foreach (LoadedModule m in modules.Where(m => !m.Listed))
        {
            findings.Add(new InventoryFinding(
                InventoryFindingKind.HiddenModule, m.Name, Severity.Critical,
                $"module '{m.Name}' is in /sys/module (initstate {m.InitState}) but absent from /proc/modules: it hid itself from lsmod{(m.HasSections == false ? "; its sections/ attributes are gone too" : "")}",
                HiddenTechniques));
        }

        // Without CONFIG_KALLSYMS no module has sections/; only a module lacking what the others have is suspicious.
        if (modules.Any(m => m.HasSections == true))
        {
            foreach (LoadedModule m in modules.Where(m => m.Listed && m.HasSections == false && m.InitState == "live"))
            {
                findings.Add(new InventoryFinding(
                    InventoryFindingKind.SectionsMissing, m.Name, Severity.High,
                    $"module '{m.Name}' has no /sys/module/{m.Name}/sections while the other modules do: its section attributes were freed, as rootkits do to hide",
                    RootkitTechnique));
            }
        }

        if (taint is not null)
        {
            foreach (TaintFlag flag in taint.Flags.Where(f => ModuleTaintLetters.Contains(f.Letter, StringComparison.Ordinal)))
            {
                if (!modules.Exists(m => m.Taint?.Contains(flag.Letter, StringComparison.Ordinal) == true))
                {
                    string[] named = messages.Where(m => m.TaintLetter == flag.Letter && m.ModuleName is not null).Select(m => m.ModuleName!).Distinct().ToArray();
                    findings.Add(new InventoryFinding(
                        InventoryFindingKind.UnexplainedTaint, null, Severity.Medium,
                        $"the kernel is tainted '{flag.Letter}' ({flag.Meaning}) but no loaded module carries it: the module that caused it was unloaded, or is hidden" +
                        (named.Length > 0 ? $"; the kernel log names {string.Join(", ", named)}" : ""),
                        RootkitTechnique));
                }
            }
        }

        return findings;
    }
}
