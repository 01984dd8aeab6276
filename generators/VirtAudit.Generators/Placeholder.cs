namespace VirtAudit.Generators;
internal static class Placeholder { }
