namespace VirtAudit.Tests;

public class AuditFormatExceptionTests
{
    [Fact]
    public void The_message_names_the_field_the_reason_and_the_offset()
    {
        var exception = new AuditFormatException("vm-pid", "expected a decimal integer", 57);

        Assert.IsAssignableFrom<FormatException>(exception);
        Assert.Equal("Invalid field 'vm-pid': expected a decimal integer (at byte 57).", exception.Message);
        Assert.Equal("vm-pid", exception.Field);
        Assert.Equal("expected a decimal integer", exception.Reason);
        Assert.Equal(57, exception.Offset);
    }

    [Fact]
    public void Field_and_offset_are_optional()
    {
        var noOffset = new AuditFormatException("old-disk", "old-disk and new-disk are both absent");
        var noField = new AuditFormatException(null, "unexpected field");

        Assert.Equal("Invalid field 'old-disk': old-disk and new-disk are both absent.", noOffset.Message);
        Assert.Equal(-1, noOffset.Offset);
        Assert.Equal("Invalid audit record: unexpected field.", noField.Message);
        Assert.Null(noField.Field);
    }

    [Fact]
    public void Plain_constructors_keep_their_message_and_cause()
    {
        var cause = new InvalidOperationException("inner");
        var exception = new AuditFormatException("custom", cause);

        Assert.Equal("custom", exception.Message);
        Assert.Same(cause, exception.InnerException);
        Assert.Null(exception.Field);
        Assert.Equal(-1, exception.Offset);
        Assert.False(string.IsNullOrEmpty(new AuditFormatException().Message));
    }
}
