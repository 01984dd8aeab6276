using VirtAudit;

// Uses only the built-in types, so that the schema's mistakes are the build's only errors.
Console.WriteLine(VirtAuditRegistry.Default);
