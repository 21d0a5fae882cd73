using System.Text.Encodings.Web;
using System.Text.Json;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Modules.Inspection;

namespace KmodGuard.Agent.Commands;

/// <summary>
/// Prints a <see cref="ModuleInspection"/> for people (the verdict word on the first line, then aligned facts) or
/// scripts (one JSON object per line). Strings come from untrusted files: control characters are escaped.
/// </summary>
internal static class InspectionPrinter
{
    public static void WriteText(TextWriter o, ModuleInspection i)
    {
        o.WriteLine($"{DecisionSentence.Printable(i.Path ?? "(bytes)")}: {Words.Of(i.Signature.Status)}");
        Line(o, "signer", i.Signature.Signer);
        Line(o, "key id", i.Signature.KeyId);
        Line(o, "hash", i.Signature.HashAlgorithm);
        Line(o, "why", i.Signature.Status == SignatureStatus.SignedTrusted ? null : i.Signature.Detail);
        Line(o, "sha256", i.Sha256);
        Line(o, "size", i.Size is long size ? $"{size} bytes" : null);
        Line(o, "compression", i.DecompressedSize is long d ? $"{i.Compression?.Word()} ({d} bytes decompressed)" : i.Compression?.Word());
        if (i.ModInfo is { } m)
        {
            Line(o, "name", m.Name);
            Line(o, "version", m.Version);
            Line(o, "license", m.License);
            Line(o, "vermagic", m.Vermagic);
            Line(o, "srcversion", m.SrcVersion);
            Line(o, "depends", m.Depends is { } deps ? (deps.Count == 0 ? "(none)" : string.Join(",", deps)) : null);
            Line(o, "intree", YesNo(m.InTree));
            Line(o, "retpoline", YesNo(m.Retpoline));
            Line(o, "author", m.Author);
            Line(o, "description", m.Description);
        }

        foreach (string problem in i.Problems)
        {
            Line(o, "problem", problem);
        }
    }

    public static void WriteJsonLine(TextWriter o, ModuleInspection i)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            Optional(w, "path", i.Path);
            Optional(w, "size", i.Size);
            Optional(w, "sha256", i.Sha256);
            Optional(w, "compression", i.Compression?.Word());
            Optional(w, "decompressed_size", i.DecompressedSize);
            w.WriteStartObject("signature");
            w.WriteString("status", Words.Of(i.Signature.Status));
            Optional(w, "signer", i.Signature.Signer);
            Optional(w, "key_id", i.Signature.KeyId);
            Optional(w, "hash_algorithm", i.Signature.HashAlgorithm);
            Optional(w, "detail", i.Signature.Detail);
            w.WriteEndObject();
            if (i.ModInfo is { } m)
            {
                w.WriteStartObject("modinfo");
                Optional(w, "name", m.Name);
                Optional(w, "version", m.Version);
                Optional(w, "license", m.License);
                Optional(w, "vermagic", m.Vermagic);
                Optional(w, "srcversion", m.SrcVersion);
                if (m.Depends is { } deps)
                {
                    w.WriteStartArray("depends");
                    foreach (string d in deps)
                    {
                        w.WriteStringValue(d);
                    }

                    w.WriteEndArray();
                }

                Optional(w, "intree", m.InTree);
                Optional(w, "retpoline", m.Retpoline);
                Optional(w, "author", m.Author);
                Optional(w, "description", m.Description);
                w.WriteEndObject();
            }

            w.WriteStartArray("problems");
            foreach (string p in i.Problems)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
    }

    private static void Line(TextWriter o, string label, string? value)
    {
        if (value is not null)
        {
            o.WriteLine($"  {label,-12} {DecisionSentence.Printable(value)}");
        }
    }

    private static string? YesNo(bool? flag) => flag is bool b ? (b ? "yes" : "no") : null;

    private static void Optional(Utf8JsonWriter w, string key, string? value)
    {
        if (value is not null)
        {
            w.WriteString(key, value);
        }
    }

    private static void Optional(Utf8JsonWriter w, string key, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(key, v);
        }
    }

    private static void Optional(Utf8JsonWriter w, string key, bool? value)
    {
        if (value is bool v)
        {
            w.WriteBoolean(key, v);
        }
    }
}
