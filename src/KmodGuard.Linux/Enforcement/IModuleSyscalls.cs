namespace KmodGuard.Linux.Enforcement;

/// <summary>The system calls enforcement makes; a seam so tests can play the kernel's answers.</summary>
internal interface IModuleSyscalls
{
    /// <summary>delete_module(2); 0 on success, else the errno.</summary>
    int DeleteModule(string name, int flags);

    /// <summary>kill(2); 0 on success, else the errno.</summary>
    int Kill(int pid, int signal);

    /// <summary>The target of /proc/&lt;pid&gt;/exe, or null when the process is gone or unreadable.</summary>
    string? ExecutableOf(int pid);
}
