using System.Buffers;
using System.IO.Compression;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>The ELF image inside a compressed module, or why it could not be had.</summary>
internal readonly record struct DecompressedModule(ReadOnlyMemory<byte> Elf, string? Problem, bool LimitExceeded)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Decompresses .ko.gz, .ko.xz and .ko.zst modules with a hard limit on the output size, so a small file that
/// expands without end (a zip bomb) costs at most the limit, never the machine's memory.
/// </summary>
internal static class ModuleDecompressor
{
    private const int ChunkSize = 64 * 1024;

    public static DecompressedModule Decompress(byte[] stored, ModuleCompression compression, long maxBytes, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(compression, ModuleCompression.None);
        string word = compression.Word();
        try
        {
            using var input = new MemoryStream(stored, writable: false);
            using Stream decoder = compression switch
            {
                ModuleCompression.Gzip => new GZipStream(input, CompressionMode.Decompress),
                ModuleCompression.Xz => new XZStream(input),
                _ => new DecompressionStream(input),
            };
            return ReadBounded(decoder, word, stored.Length, maxBytes, cancellation);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // The decoders report corrupt input with their own exception types; every one of them means "corrupt".
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new(default, $"{word} data is corrupt: {e.Message}", LimitExceeded: false);
        }
    }

    private static DecompressedModule ReadBounded(Stream decoder, string word, int storedLength, long maxBytes, CancellationToken cancellation)
    {
        // Modules compress about 3:1; start there and let the stream grow if the guess is short.
        using var output = new MemoryStream((int)Math.Min(maxBytes, Math.Min(storedLength * 4L, 64L << 20)));
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = decoder.Read(chunk, 0, ChunkSize)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                if (output.Length + read > maxBytes)
                {
                    return new(default, $"{word} data expands beyond the {maxBytes} byte limit (not inspected further)", LimitExceeded: true);
                }

                output.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return output.Length == 0
            ? new(default, $"{word} data decompresses to nothing", LimitExceeded: false)
            : new(output.GetBuffer().AsMemory(0, (int)output.Length), null, LimitExceeded: false);
    }
}
