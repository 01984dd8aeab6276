using VirtAudit.Generators.Analyzers;

namespace VirtAudit.Analyzers.Tests;

/// <summary>The clause syntax of <c>AuditField.When</c> / <c>AuditValue.OnlyWith</c> (SchemaAttributes.cs).</summary>
public sealed class AuditConditionTests
{
    [Theory]
    [InlineData("Op=Init;Virt=Lxc", "Op is Init and Virt is Lxc")]
    [InlineData("Class=Major|Path", "Class is Major or Path")]
    [InlineData("Op!=Init", "Op is not Init")]
    [InlineData(" Op = Init ; ; Virt != Kvm | Qemu ", "Op is Init and Virt is not Kvm or Qemu")]
    public void Parses_clauses(string text, string described) =>
        Assert.Equal(described, AuditCondition.Parse(text)!.Describe());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ; ")]
    [InlineData("Op")]
    [InlineData("=Init")]
    [InlineData("Op=")]
    [InlineData("Op=Init;Virt")]
    public void Unreadable_conditions_are_null_so_nothing_is_judged(string? text) =>
        Assert.Null(AuditCondition.Parse(text));

    [Fact]
    public void A_negated_clause_holds_for_every_other_member()
    {
        var clause = AuditCondition.Parse("Op!=Init")!.Clauses.Single();

        Assert.True(clause.HoldsFor("Start"));
        Assert.False(clause.HoldsFor("Init"));
    }
}
