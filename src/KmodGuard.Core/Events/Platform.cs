namespace KmodGuard.Core.Events;

/// <summary>The operating system an activity was observed on.</summary>
public enum Platform
{
    Linux,
    MacOS,
}
