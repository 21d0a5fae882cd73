namespace KmodGuard.Linux.Inventory;

/// <summary>What the kernel accepts as a module name (MODULE_NAME_LEN 56 including the NUL; no '/' or whitespace).</summary>
internal static class ModuleName
{
    public const int MaxLength = 55;

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength || name is "." or "..")
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c <= ' ' || c >= '\x7f' || c == '/')
            {
                return false;
            }
        }

        return true;
    }
}
