namespace KmodGuard.Linux.Audit.Records;

/// <summary>One <c>name=value</c> pair of a record body, as spans over the record.</summary>
internal readonly ref struct AuditField
{
    public AuditField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> rawValue)
    {
        Name = name;
        RawValue = rawValue;
    }

    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The value as written: <c>"quoted"</c>, <c>'quoted'</c>, hex, or a bare word.</summary>
    public ReadOnlySpan<byte> RawValue { get; }
}
