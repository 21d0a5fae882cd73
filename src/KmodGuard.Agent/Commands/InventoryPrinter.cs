using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Agent.Commands;

/// <summary>Prints a <see cref="ModuleInventory"/> for people (a table) or scripts (one JSON object, snake_case keys).</summary>
internal static class InventoryPrinter
{
    public static void WriteText(TextWriter o, ModuleInventory inv, string baselinePath, BaselineChanges changes)
    {
        o.WriteLine($"kernel {inv.KernelRelease ?? "(release unknown)"}, taint: {inv.Taint?.ToString() ?? "unknown"}");
        foreach (TaintFlag f in inv.Taint?.Flags ?? [])
        {
            o.WriteLine($"  {f.Letter}  {f.Meaning}");
        }

        if (!inv.ModuleSupport)
        {
            o.WriteLine("this kernel has no loadable-module support (no /proc/modules): no module can be loaded, so there is nothing to list");
            return;
        }

        int hidden = inv.Modules.Count(m => !m.Listed);
        o.WriteLine($"{inv.Modules.Count} module{(inv.Modules.Count == 1 ? "" : "s")} loaded{(hidden > 0 ? $" ({hidden} HIDDEN)" : "")}");
        if (inv.Modules.Count > 0)
        {
            int width = Math.Max(4, inv.Modules.Max(m => m.Name.Length));
            o.WriteLine($"{"NAME".PadRight(width)}  {"SIZE",8}  {"REFS",4}  {"STATE",-9}  {"TAINT",-5}  {"SRCVERSION",-23}  FILE");
            foreach (LoadedModule m in inv.Modules)
            {
                string state = m.Listed ? m.State ?? "?" : "HIDDEN";
                o.WriteLine($"{m.Name.PadRight(width)}  {Num(m.Size),8}  {Num(m.RefCount),4}  {state,-9}  {Dash(m.Taint),-5}  {Dash(m.SrcVersion),-23}  {Dash(m.FilePath)}{Inspection(m)}");
            }
        }

        if (inv.Findings.Count > 0)
        {
            o.WriteLine("findings:");
            foreach (InventoryFinding f in inv.Findings)
            {
                o.WriteLine($"  {Words.Of(f.Severity)}  {Word(f.Kind)}  {f.Message} [{string.Join(", ", f.Techniques)}]");
            }
        }

        if (inv.KernelMessages.Count > 0)
        {
            o.WriteLine("kernel module messages since boot:");
            foreach (KernelModuleMessage m in inv.KernelMessages)
            {
                o.WriteLine($"  [{m.SinceBoot.TotalSeconds,12:F6}] {Word(m.Kind),-18}  {DecisionSentence.Printable(m.Text)}");
            }
        }

        if (changes.Previous is { } p)
        {
            o.WriteLine($"since the baseline of {p.TakenAt:u}{(changes.Rebooted ? " (an earlier boot)" : "")} in {baselinePath}: " +
                $"new: {List(changes.New.Select(m => m.Name))}; changed: {List(changes.Changed.Select(m => m.Name))}; gone: {List(changes.Gone)}");
        }
        else
        {
            o.WriteLine($"no baseline in {baselinePath} yet (the agent writes one when it starts)");
        }
    }

    public static void WriteJson(TextWriter o, ModuleInventory inv, string baselinePath, BaselineChanges changes)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("taken_at", inv.TakenAt);
            w.WriteString("kernel_release", inv.KernelRelease);
            w.WriteString("boot_id", inv.BootId);
            w.WriteBoolean("module_support", inv.ModuleSupport);
            if (inv.Taint is { } t)
            {
                w.WriteStartObject("taint");
                w.WriteNumber("value", t.Value);
                w.WriteString("letters", t.Letters);
                w.WriteStartArray("flags");
                foreach (TaintFlag f in t.Flags)
                {
                    w.WriteStartObject();
                    w.WriteNumber("bit", f.Bit);
                    w.WriteString("letter", f.Letter.ToString());
                    w.WriteString("meaning", f.Meaning);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteStartArray("modules");
            foreach (LoadedModule m in inv.Modules)
            {
                WriteModule(w, m);
            }

            w.WriteEndArray();
            w.WriteStartArray("findings");
            foreach (InventoryFinding f in inv.Findings)
            {
                w.WriteStartObject();
                w.WriteString("kind", Word(f.Kind));
                w.WriteString("module", f.ModuleName);
                w.WriteString("severity", Words.Of(f.Severity));
                w.WriteString("message", f.Message);
                Strings(w, "techniques", f.Techniques);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("kernel_messages");
            foreach (KernelModuleMessage m in inv.KernelMessages)
            {
                w.WriteStartObject();
                w.WriteNumber("sequence", m.Sequence);
                w.WriteNumber("since_boot", Math.Round(m.SinceBoot.TotalSeconds, 6));
                w.WriteString("kind", Word(m.Kind));
                w.WriteString("module", m.ModuleName);
                w.WriteString("text", m.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("baseline");
            w.WriteString("path", baselinePath);
            w.WriteBoolean("present", changes.Previous is not null);
            if (changes.Previous is { } p)
            {
                w.WriteString("taken_at", p.TakenAt);
                w.WriteBoolean("rebooted", changes.Rebooted);
                Strings(w, "new", changes.New.Select(m => m.Name));
                Strings(w, "changed", changes.Changed.Select(m => m.Name));
                Strings(w, "gone", changes.Gone);
            }

            w.WriteEndObject();
            Strings(w, "errors", inv.Errors);
            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteModule(Utf8JsonWriter w, LoadedModule m)
    {
        w.WriteStartObject();
        w.WriteString("name", m.Name);
        w.WriteBoolean("listed", m.Listed);
        Number(w, "size", m.Size);
        Number(w, "refcount", m.RefCount);
        w.WriteString("state", m.State);
        w.WriteString("initstate", m.InitState);
        w.WriteString("taint", m.Taint);
        w.WriteString("srcversion", m.SrcVersion);
        w.WriteString("version", m.Version);
        Strings(w, "holders", m.Holders);
        w.WriteBoolean("permanent", m.Permanent);
        if (m.HasSections is bool s)
        {
            w.WriteBoolean("has_sections", s);
        }

        w.WriteString("file", m.FilePath);
        if (m.Inspection is { } i)
        {
            w.WriteStartObject("inspection");
            w.WriteString("sha256", i.Sha256);
            w.WriteString("signature", Words.Of(i.SignatureStatus));
            w.WriteString("signer", i.Signer);
            w.WriteString("key_id", i.KeyId);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>hidden_module, signature_missing, ...: enum names in the JSON's snake_case.</summary>
    private static string Word<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static string Inspection(LoadedModule m) =>
        m.Inspection is { } i ? $"  ({Words.Of(i.SignatureStatus)}{(i.Sha256 is { } sha ? $", sha256 {sha[..16]}…" : "")})" : "";

    private static void Number(Utf8JsonWriter w, string key, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(key, v);
        }
        else
        {
            w.WriteNull(key);
        }
    }

    private static void Strings(Utf8JsonWriter w, string key, IEnumerable<string> values)
    {
        w.WriteStartArray(key);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static string Num(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Dash(string? s) => string.IsNullOrEmpty(s) ? "-" : s;

    private static string List(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "-";
}
