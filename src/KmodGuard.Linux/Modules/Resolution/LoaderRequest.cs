namespace KmodGuard.Linux.Modules.Resolution;

/// <summary>The tools whose command line names the module they load.</summary>
internal enum LoaderTool
{
    Insmod,
    Modprobe,
}

/// <summary>
/// What an insmod or modprobe command line asks to load: a file (insmod) or module names and aliases (modprobe),
/// with modprobe's -S (kernel version) and -d (root directory). Parsed the way kmod's getopt does; command lines
/// come from the audit records and are untrusted.
/// </summary>
internal sealed record LoaderRequest(LoaderTool Tool, IReadOnlyList<string> Targets)
{
    /// <summary>kmod modprobe's short options that take a value: -C config, -d dirname, -S version, -w msec.</summary>
    private const string ModprobeValueOptions = "CdSw";

    /// <summary>modprobe modes that load nothing: remove, resolve-alias, show-config, show-depends, dry-run.</summary>
    private const string ModprobeNonLoadOptions = "rRcDn";

    public string? KernelVersion { get; init; }
    public string? RootDirectory { get; init; }

    /// <summary>The request, or null when the command line is not an insmod/modprobe load.</summary>
    public static LoaderRequest? Parse(IReadOnlyList<string>? argv)
    {
        if (argv is not { Count: > 0 })
        {
            return null;
        }

        int first = 1;
        string tool = Path.GetFileName(argv[0]);

        // "busybox insmod x.ko", "kmod modprobe x": the multi-call binary's first argument names the tool.
        if (tool is "busybox" or "kmod" && argv.Count > 1)
        {
            tool = argv[1];
            first = 2;
        }

        return tool switch
        {
            "insmod" => ParseInsmod(argv, first),
            "modprobe" => ParseModprobe(argv, first),
            _ => null,
        };
    }

    /// <summary>insmod [options] FILE [PARAM=VALUE]...; none of kmod's or busybox's insmod options takes a value.</summary>
    private static LoaderRequest? ParseInsmod(IReadOnlyList<string> argv, int first)
    {
        bool optionsEnded = false;
        for (int i = first; i < argv.Count; i++)
        {
            string a = argv[i];
            if (!optionsEnded && a == "--")
            {
                optionsEnded = true;
            }
            else if (optionsEnded || !a.StartsWith('-') || a == "-")
            {
                return new LoaderRequest(LoaderTool.Insmod, [a]);
            }
        }

        return null;
    }

    /// <summary>modprobe [options] NAME [PARAM=VALUE]..., or modprobe -a NAME...</summary>
    private static LoaderRequest? ParseModprobe(IReadOnlyList<string> argv, int first)
    {
        bool all = false;
        bool optionsEnded = false;
        string? version = null;
        string? root = null;
        var names = new List<string>();
        for (int i = first; i < argv.Count; i++)
        {
            string a = argv[i];
            if (optionsEnded || !a.StartsWith('-') || a == "-")
            {
                names.Add(a);
                if (!all)
                {
                    break; // the rest are module parameters
                }

                continue;
            }

            if (a == "--")
            {
                optionsEnded = true;
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = a.IndexOf('=', StringComparison.Ordinal);
                string name = eq < 0 ? a[2..] : a[2..eq];
                string? value = eq < 0 ? null : a[(eq + 1)..];
                if (name is "set-version" or "dirname" or "config" or "wait" && value is null && i + 1 < argv.Count)
                {
                    value = argv[++i];
                }

                switch (name)
                {
                    case "all":
                        all = true;
                        break;
                    case "set-version":
                        version = value;
                        break;
                    case "dirname":
                        root = value;
                        break;
                    case "remove" or "resolve-alias" or "showconfig" or "show-config" or "show-depends" or "dry-run" or "remove-dependencies"
                        or "dump-modversions" or "show-modversions" or "show-exports":
                        return null;
                }
            }
            else
            {
                // A cluster of short options such as -qv or -S6.1.0; a value option takes the rest of the cluster or the next word.
                for (int k = 1; k < a.Length; k++)
                {
                    char c = a[k];
                    if (ModprobeNonLoadOptions.Contains(c, StringComparison.Ordinal))
                    {
                        return null;
                    }

                    if (c == 'a')
                    {
                        all = true;
                    }
                    else if (ModprobeValueOptions.Contains(c, StringComparison.Ordinal))
                    {
                        string? value = k + 1 < a.Length ? a[(k + 1)..] : i + 1 < argv.Count ? argv[++i] : null;
                        if (c == 'S')
                        {
                            version = value;
                        }
                        else if (c == 'd')
                        {
                            root = value;
                        }

                        break;
                    }
                }
            }
        }

        return names.Count == 0 ? null : new LoaderRequest(LoaderTool.Modprobe, names) { KernelVersion = version, RootDirectory = root };
    }
}
