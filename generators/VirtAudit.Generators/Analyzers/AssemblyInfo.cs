using System.Runtime.CompilerServices;

// The code fixes read the diagnostic ids and FixProperties keys; the tests read the descriptors.
[assembly: InternalsVisibleTo("VirtAudit.CodeFixes")]
[assembly: InternalsVisibleTo("VirtAudit.Analyzers.Tests")]
