using System.CommandLine;
using KmodGuard.Linux.Modules.Inspection;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard inspect FILE... [--trusted-certificate PEM_OR_DIR]... [--json]</c>: what the agent sees in a module file.</summary>
internal static class InspectCommand
{
    public static Command Create(ConsoleIo io)
    {
        var files = new Argument<string[]>("file")
        {
            Description = "Module files: .ko, .ko.xz, .ko.zst or .ko.gz (recognised by content).",
            Arity = ArgumentArity.OneOrMore,
        };
        var certificates = new Option<string[]>("--trusted-certificate")
        {
            Description = "A PEM or DER certificate file, or a directory of *.pem/*.crt/*.cer/*.der, whose keys sign trusted modules. Repeatable.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file (JSON Lines) instead of text." };
        var inspect = new Command("inspect", "Inspect kernel module files: sha256, .modinfo and the signature verdict (signed-trusted, signed-untrusted, invalid, unsigned).")
        {
            files, certificates, json,
        };
        inspect.SetAction(r => Run(io, r.GetValue(files)!, r.GetValue(certificates) ?? [], r.GetValue(json)));
        return inspect;
    }

    /// <summary>Exit 0 when every file was read (whatever its verdict), 1 when one could not be read, 2 for a bad certificate option.</summary>
    private static int Run(ConsoleIo io, string[] files, string[] certificatePaths, bool asJson)
    {
        TrustedCertificates trusted;
        try
        {
            trusted = TrustedCertificates.Load(certificatePaths);
        }
        catch (TrustedCertificatesException e)
        {
            io.Error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }

        using (trusted)
        {
            var inspector = new ModuleInspector(trusted);
            int exit = ExitCodes.Success;
            for (int i = 0; i < files.Length; i++)
            {
                ModuleInspection inspection = inspector.Inspect(files[i]);
                if (inspection.Sha256 is null)
                {
                    exit = ExitCodes.Failure;
                }

                if (asJson)
                {
                    InspectionPrinter.WriteJsonLine(io.Out, inspection);
                }
                else
                {
                    if (i > 0)
                    {
                        io.Out.WriteLine();
                    }

                    InspectionPrinter.WriteText(io.Out, inspection);
                }
            }

            return exit;
        }
    }
}
