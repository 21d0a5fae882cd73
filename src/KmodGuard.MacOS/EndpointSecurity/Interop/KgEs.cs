namespace KmodGuard.MacOS.EndpointSecurity.Interop;

/// <summary>The constants of kmodguard_es.h: event types (Apple's values), answers and responders.</summary>
internal static class KgEs
{
    public const uint AbiVersion = 1;

    public const uint EventAuthKextLoad = 2;
    public const uint EventNotifyKextLoad = 17;
    public const uint EventNotifyKextUnload = 18;

    public const uint Allow = 0;
    public const uint Deny = 1;

    public const uint ResponderNone = 0;
    public const uint ResponderCallback = 1;
    public const uint ResponderWatchdog = 2;
    public const uint ResponderShim = 3;
}
