namespace VirtAudit.Generators.Analyzers;

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that tell the code fixes (VirtAudit.CodeFixes)
/// what they may do. Property names are C# names of members assigned in the initializer that holds the diagnostic.
/// </summary>
internal static class FixProperties
{
    /// <summary>Properties whose assignment may be removed, separated by <c>;</c>; one fix each.</summary>
    public const string Remove = "VirtAudit.Remove";

    /// <summary>
    /// Assignments that make the condition hold, as <c>Property=global::Namespace.Enum.Member</c> separated by <c>;</c>;
    /// one fix that applies them all.
    /// </summary>
    public const string Set = "VirtAudit.Set";

    /// <summary>With <see cref="Set"/>: properties the new values rule out, separated by <c>;</c>; the same fix removes them.</summary>
    public const string AlsoRemove = "VirtAudit.AlsoRemove";

    /// <summary>The separator of the lists above.</summary>
    public const char Separator = ';';
}
