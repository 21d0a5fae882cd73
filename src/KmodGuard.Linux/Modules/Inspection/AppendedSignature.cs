using System.Buffers.Binary;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// Where the kernel's appended signature sits in a module image: <c>[payload][PKCS#7][struct module_signature][marker]</c>
/// (include/linux/module_signature.h). The signed payload is everything before the PKCS#7 blob.
/// </summary>
internal readonly record struct AppendedSignature(int PayloadLength, int SignatureLength)
{
    /// <summary><c>MODULE_SIGNATURE_MARKER</c>.</summary>
    public static ReadOnlySpan<byte> Marker => "~Module signature appended~\n"u8;

    /// <summary><c>sizeof(struct module_signature)</c>: algo, hash, id_type, signer_len, key_id_len, pad[3], be32 sig_len.</summary>
    public const int InfoLength = 12;

    /// <summary><c>PKEY_ID_PKCS7</c>, the only id_type the kernel verifies.</summary>
    public const byte Pkcs7IdType = 2;

    public int SignatureOffset => PayloadLength;

    /// <summary>
    /// Finds the signature block. False with a null problem: no marker, the module is unsigned. False with a problem:
    /// the marker is there but the block is malformed, with the same checks as the kernel's mod_check_sig().
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> module, out AppendedSignature signature, out string? problem)
    {
        signature = default;
        problem = null;
        if (!module.EndsWith(Marker))
        {
            return false;
        }

        int infoEnd = module.Length - Marker.Length;
        if (infoEnd < InfoLength)
        {
            problem = "signature marker present but the module_signature block is truncated";
            return false;
        }

        ReadOnlySpan<byte> info = module.Slice(infoEnd - InfoLength, InfoLength);
        byte idType = info[2];
        uint sigLength = BinaryPrimitives.ReadUInt32BigEndian(info[8..]);
        int available = infoEnd - InfoLength;
        if (idType != Pkcs7IdType)
        {
            problem = $"signature is not PKCS#7 (id_type {idType}); the kernel only verifies PKCS#7";
        }
        else if (info[0] != 0 || info[1] != 0 || info[3] != 0 || info[4] != 0 || info[5] != 0 || info[6] != 0 || info[7] != 0)
        {
            problem = "PKCS#7 module_signature has unexpected non-zero algo/hash/signer_len/key_id_len/pad fields";
        }
        else if (sigLength == 0)
        {
            problem = "module_signature says the signature is 0 bytes long";
        }
        else if (sigLength >= (uint)available)
        {
            problem = $"module_signature says the signature is {sigLength} bytes, but only {available} bytes precede it";
        }
        else
        {
            signature = new AppendedSignature(available - (int)sigLength, (int)sigLength);
            return true;
        }

        return false;
    }
}
