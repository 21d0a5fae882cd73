using System.Text;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.Enforcement;

/// <summary>
/// Mirrors the policy's deny rules that name exact modules into /etc/modprobe.d/kmodguard.conf (<c>blacklist X</c> and
/// <c>install X /bin/false</c>), so modprobe — including the kernel's own autoload — refuses them before they reach
/// the kernel. Only rules that deny a module whatever else is true qualify (conditions on the name, the platform and
/// the operation only, no <c>unless</c>): the file must never refuse what the policy would allow. It touches only its
/// own file (recognised by its first line), writes it atomically, and removes it when no rule qualifies.
/// </summary>
internal sealed class ModprobeDenylist(string path)
{
    public const string DefaultPath = "/etc/modprobe.d/kmodguard.conf";
    public const string Marker = "# Written by KmodGuard";

    /// <summary>The (module, rule id) pairs the file carries for <paramref name="policy"/>, in rule order, without duplicates.</summary>
    public static IReadOnlyList<(string Module, string RuleId)> Entries(PolicyDefinition policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<(string, string)>();
        foreach (RuleDefinition rule in policy.Rules.Where(Qualifies))
        {
            foreach (string name in rule.When.First(c => c.Key == ConditionKey.ModuleName).Values)
            {
                if (IsPlainModuleName(name) && seen.Add(KernelModuleIndex.Normalize(name)))
                {
                    entries.Add((name, rule.Id));
                }
            }
        }

        return entries;
    }

    public static string Render(CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Render(policy, Entries(policy.Definition));
    }

    private static string Render(CompiledPolicy policy, IReadOnlyList<(string Module, string RuleId)> entries)
    {
        var sb = new StringBuilder();
        sb.Append(Marker).Append(" from policy ").Append(policy.Source).Append(" (sha256 ").Append(policy.Sha256).Append(").\n");
        sb.Append("# Do not edit: KmodGuard rewrites this file when its policy changes and removes it when uninstalled.\n");
        foreach ((string module, string ruleId) in entries)
        {
            sb.Append("# rule ").Append(ruleId).Append('\n');
            sb.Append("blacklist ").Append(module).Append('\n');
            sb.Append("install ").Append(module).Append(" /bin/false\n");
        }

        return sb.ToString();
    }

    /// <summary>Brings the file in line with <paramref name="policy"/>: at start and on every reload.</summary>
    public DenylistSync Sync(CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Guarded(() => SyncFile(policy));
    }

    /// <summary>On uninstall: removes the file if it is ours.</summary>
    public DenylistSync Remove() => Guarded(() =>
        !IsOursOrAbsent(out string? existing) ? new DenylistSync(DenylistOutcome.Refused, 0, $"{path} was not written by KmodGuard; left alone")
        : existing is null ? new DenylistSync(DenylistOutcome.Unchanged, 0, $"{path} does not exist")
        : Delete("uninstall"));

    private DenylistSync SyncFile(CompiledPolicy policy)
    {
        if (!IsOursOrAbsent(out string? existing))
        {
            return new DenylistSync(DenylistOutcome.Refused, 0, $"{path} exists and was not written by KmodGuard; left alone");
        }

        IReadOnlyList<(string Module, string RuleId)> entries = Entries(policy.Definition);
        int count = entries.Count;
        if (count == 0)
        {
            return existing is null
                ? new DenylistSync(DenylistOutcome.Unchanged, 0, "no deny rule names an exact module; no file needed")
                : Delete("no deny rule names an exact module any more");
        }

        string text = Render(policy, entries);
        if (text == existing)
        {
            return new DenylistSync(DenylistOutcome.Unchanged, count, $"{path} is up to date ({count} modules)");
        }

        string temporary = path + ".kmodguard-tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
        return new DenylistSync(DenylistOutcome.Written, count, $"wrote {count} module{(count == 1 ? "" : "s")} to {path}");
    }

    private DenylistSync Guarded(Func<DenylistSync> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DenylistSync(DenylistOutcome.Failed, 0, $"{path}: {e.Message}");
        }
    }

    private DenylistSync Delete(string why)
    {
        File.Delete(path);
        return new DenylistSync(DenylistOutcome.Removed, 0, $"removed {path} ({why})");
    }

    private bool IsOursOrAbsent(out string? text)
    {
        text = null;
        if (!File.Exists(path))
        {
            return true;
        }

        text = File.ReadAllText(path);
        return text.StartsWith(Marker, StringComparison.Ordinal);
    }

    private static bool Qualifies(RuleDefinition rule) =>
        rule.Action == RuleAction.Deny
        && rule.Unless.Count == 0
        && rule.When.Any(c => c.Key == ConditionKey.ModuleName)
        && rule.When.All(c => c.Key switch
        {
            ConditionKey.ModuleName => true,
            ConditionKey.Platform => c.Values.Contains("linux"),
            ConditionKey.Operation => c.Values.Contains("load"),
            _ => false,
        });

    /// <summary>Only names modprobe would take as one word: no glob, no whitespace that could smuggle another directive.</summary>
    private static bool IsPlainModuleName(string name) =>
        name.Length is > 0 and <= Inventory.ModuleName.MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
