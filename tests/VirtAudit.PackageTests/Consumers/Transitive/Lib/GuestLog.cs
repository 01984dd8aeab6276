using System.Text;
using VirtAudit;

namespace Contoso.Audit;

/// <summary>Types audit.log lines with the built-in variants and this library's own.</summary>
public static class GuestLog
{
    public static VirtAuditRecord Parse(string line)
    {
        var parsed = AuditLine.Parse(Encoding.UTF8.GetBytes(line));
        return ContosoSchema.Registry.Parse(parsed.TypeNumber, parsed.Message);
    }
}
