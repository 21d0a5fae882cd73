namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>How a module file is stored. The kernel accepts these through finit_module (MODULE_INIT_COMPRESSED_FILE).</summary>
internal enum ModuleCompression
{
    None,
    Gzip,
    Xz,
    Zstd,
}

/// <summary>Recognises the compression by the file's magic bytes, not its name: a descriptor link or a renamed file has no reliable extension.</summary>
internal static class ModuleCompressions
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> XzMagic => [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    public static ModuleCompression Detect(ReadOnlySpan<byte> stored) =>
        stored.StartsWith(XzMagic) ? ModuleCompression.Xz
        : stored.StartsWith(ZstdMagic) ? ModuleCompression.Zstd
        : stored.StartsWith(GzipMagic) ? ModuleCompression.Gzip
        : ModuleCompression.None;

    public static string Word(this ModuleCompression c) => c switch
    {
        ModuleCompression.Gzip => "gzip",
        ModuleCompression.Xz => "xz",
        ModuleCompression.Zstd => "zstd",
        _ => "none",
    };
}
