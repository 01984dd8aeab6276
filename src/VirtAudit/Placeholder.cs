namespace VirtAudit; internal static class Placeholder { }
