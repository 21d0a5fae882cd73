using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace KmodGuard.MacOS.Configuration;

/// <summary>
/// Reads a preference domain through CFPreferences, which returns the values an MDM settings payload forces
/// (the files under /Library/Managed Preferences are binary plists owned by cfprefsd; reading them directly is
/// not supported). Strings, booleans and integers only: that is all the extension's keys use.
/// </summary>
[SupportedOSPlatform("macos")]
internal static unsafe partial class ManagedPreferences
{
    private const string CoreFoundation = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";
    private const uint Utf8 = 0x08000100; // kCFStringEncodingUTF8
    private const int SInt64 = 4;         // kCFNumberSInt64Type

    /// <summary>The values of <paramref name="keys"/> set in <paramref name="domain"/>, plus the OTEL_* keys its key list names.</summary>
    public static Dictionary<string, object> Read(string domain, IEnumerable<string> keys)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        nint app = CreateString(domain);
        try
        {
            var wanted = new HashSet<string>(keys, StringComparer.Ordinal);
            nint list = CFPreferencesCopyKeyList(app, KCFPreferencesAnyUser(), KCFPreferencesCurrentHost());
            if (list != 0)
            {
                try
                {
                    for (nint i = 0, n = CFArrayGetCount(list); i < n; i++)
                    {
                        if (ToObject(CFArrayGetValueAtIndex(list, i)) is string key && key.StartsWith(ExtensionSettings.Keys.OtelPrefix, StringComparison.Ordinal))
                        {
                            wanted.Add(key);
                        }
                    }
                }
                finally
                {
                    CFRelease(list);
                }
            }

            foreach (string key in wanted)
            {
                nint k = CreateString(key);
                nint v = CFPreferencesCopyAppValue(k, app);
                CFRelease(k);
                if (v == 0)
                {
                    continue;
                }

                try
                {
                    values[key] = ToObject(v) ?? throw new FormatException($"{domain}: {key} has a type the extension does not read (use a string, boolean or integer)");
                }
                finally
                {
                    CFRelease(v);
                }
            }
        }
        finally
        {
            CFRelease(app);
        }

        return values;
    }

    private static object? ToObject(nint value)
    {
        nint type = CFGetTypeID(value);
        if (type == CFStringGetTypeID())
        {
            nint length = CFStringGetLength(value);
            nint max = CFStringGetMaximumSizeForEncoding(length, Utf8) + 1;
            byte[] buffer = new byte[max];
            fixed (byte* b = buffer)
            {
                return CFStringGetCString(value, b, max, Utf8) != 0 ? Marshal.PtrToStringUTF8((nint)b) : null;
            }
        }

        if (type == CFBooleanGetTypeID())
        {
            return CFBooleanGetValue(value) != 0;
        }

        if (type == CFNumberGetTypeID())
        {
            long n;
            return CFNumberGetValue(value, SInt64, &n) != 0 ? n : null;
        }

        return null;
    }

    private static nint CreateString(string s)
    {
        nint cf = CFStringCreateWithCString(0, s, Utf8);
        return cf != 0 ? cf : throw new InvalidOperationException($"CFStringCreateWithCString failed for {s}");
    }

    // kCFPreferencesAnyUser / kCFPreferencesCurrentHost are exported CFStringRef constants: read them from the image.
    private static nint KCFPreferencesAnyUser() => Constant("kCFPreferencesAnyUser");

    private static nint KCFPreferencesCurrentHost() => Constant("kCFPreferencesCurrentHost");

    private static nint Constant(string name) => *(nint*)NativeLibrary.GetExport(NativeLibrary.Load(CoreFoundation), name);

    [LibraryImport(CoreFoundation, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint CFStringCreateWithCString(nint allocator, string text, uint encoding);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFPreferencesCopyAppValue(nint key, nint applicationId);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFPreferencesCopyKeyList(nint applicationId, nint user, nint host);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFArrayGetCount(nint array);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFArrayGetValueAtIndex(nint array, nint index);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFGetTypeID(nint value);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFStringGetTypeID();

    [LibraryImport(CoreFoundation)]
    private static partial nint CFBooleanGetTypeID();

    [LibraryImport(CoreFoundation)]
    private static partial nint CFNumberGetTypeID();

    [LibraryImport(CoreFoundation)]
    private static partial nint CFStringGetLength(nint value);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFStringGetMaximumSizeForEncoding(nint length, uint encoding);

    [LibraryImport(CoreFoundation)]
    private static partial byte CFStringGetCString(nint value, byte* buffer, nint size, uint encoding);

    [LibraryImport(CoreFoundation)]
    private static partial byte CFBooleanGetValue(nint value);

    [LibraryImport(CoreFoundation)]
    private static partial byte CFNumberGetValue(nint value, int type, void* result);

    [LibraryImport(CoreFoundation)]
    private static partial void CFRelease(nint value);
}
