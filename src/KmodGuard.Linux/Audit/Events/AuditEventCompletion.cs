namespace KmodGuard.Linux.Audit.Events;

/// <summary>Why the assembler considered an event complete.</summary>
internal enum AuditEventCompletion
{
    /// <summary>Its last record arrived: EOE, PROCTITLE, or a type that is a whole event on its own.</summary>
    LastRecord,

    /// <summary>No record came for it within the timeout.</summary>
    TimedOut,

    /// <summary>Closed early because too many events were in flight.</summary>
    Evicted,

    /// <summary>Closed at the end of the input (replay) or at shutdown.</summary>
    Flushed,
}
