using static VirtAudit.Tests.Bytes;
using VirtAudit.CompilerServices;

namespace VirtAudit.Tests;

public class AuditEnumTests
{
    [Fact]
    public void Names_are_looked_up_by_member_value()
    {
        Assert.Equal("red", S(AuditEnumNames<TestColor>.GetUtf8(TestColor.Red)));
        Assert.Equal("dark-blue", S(AuditEnumNames<TestColor>.GetUtf8(TestColor.DarkBlue)));
        Assert.Equal("green", AuditEnumNames<TestColor>.GetName(TestColor.Green));
        Assert.True(AuditEnumNames<TestColor>.GetUtf8(TestColor.Other).IsEmpty);
        Assert.True(AuditEnumNames<TestColor>.GetUtf8(TestColor.Unnamed).IsEmpty);
        Assert.True(AuditEnumNames<TestColor>.GetUtf8((TestColor)99).IsEmpty);
        Assert.True(AuditEnumNames<TestColor>.GetUtf8((TestColor)(-1)).IsEmpty);
        Assert.Null(AuditEnumNames<TestColor>.GetName((TestColor)99));
        Assert.Equal(5, AuditEnumNames<TestColor>.Count);
    }

    [Theory]
    [InlineData("red", TestColor.Red)]
    [InlineData("dark-blue", TestColor.DarkBlue)]
    [InlineData("green", TestColor.Green)]
    public void TryParse_finds_registered_texts(string text, TestColor expected)
    {
        Assert.True(AuditEnumNames<TestColor>.TryParse(U(text), out TestColor value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("Red")]
    [InlineData("DarkBlue")]
    [InlineData("dark")]
    [InlineData("")]
    [InlineData("?")]
    public void TryParse_is_exact(string text)
    {
        Assert.False(AuditEnumNames<TestColor>.TryParse(U(text), out TestColor value));
        Assert.Equal(TestColor.Other, value);
    }

    [Fact]
    public void Register_copies_the_array_so_later_changes_do_not_leak_in_and_the_names_are_fixed()
    {
        string[] names = { null!, "a" };
        AuditEnumNames<LocalEnum>.Register(names);
        names[1] = "b";
        Assert.True(AuditEnumNames<LocalEnum>.TryParse(U("a"), out LocalEnum value));
        Assert.Equal(LocalEnum.A, value);
        Assert.False(AuditEnumNames<LocalEnum>.TryParse(U("b"), out _));

        // Nobody remaps them afterwards.
        Assert.Throws<InvalidOperationException>(() => AuditEnumNames<LocalEnum>.Register(new string[] { null!, "b" }));
        Assert.Equal("a", AuditEnumNames<LocalEnum>.GetName(LocalEnum.A));
    }

    [Fact]
    public void A_generated_enums_names_cannot_be_remapped()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AuditEnumNames<VirtOp>.Register(new string?[] { null, "stop", "start" }));
        Assert.Contains("VirtAudit.VirtOp", error.Message);
        Assert.True(AuditEnumNames<VirtOp>.TryParse("start"u8, out var start));
        Assert.Equal(VirtOp.Start, start);
        Assert.Equal("start", AuditEnumNames<VirtOp>.GetName(VirtOp.Start));
    }

    [Fact]
    public void Generated_lookup_finds_every_member_and_nothing_else()
    {
        foreach (var member in Enum.GetValues<VirtResourceReason>())
        {
            var name = AuditEnumNames<VirtResourceReason>.GetName(member);
            if (member == VirtResourceReason.Other)
            {
                Assert.Null(name);
                continue;
            }

            Assert.True(AuditEnumNames<VirtResourceReason>.TryParse(System.Text.Encoding.UTF8.GetBytes(name!), out var parsed));
            Assert.Equal(member, parsed);
            Assert.False(AuditEnumNames<VirtResourceReason>.TryParse(System.Text.Encoding.UTF8.GetBytes(name!.ToUpperInvariant()), out _));
            Assert.False(AuditEnumNames<VirtResourceReason>.TryParse(System.Text.Encoding.UTF8.GetBytes(name + "x"), out _));
        }

        Assert.False(AuditEnumNames<VirtResourceReason>.TryParse(default, out var none));
        Assert.Equal(VirtResourceReason.Other, none);
    }

    [Fact]
    public void A_non_int_enum_is_refused()
    {
        Assert.Throws<TypeInitializationException>(() => AuditEnumNames<LongBasedEnum>.Register(new string[] { null!, "a" }));
    }

    [Fact]
    public void A_known_member_converts_implicitly()
    {
        AuditEnum<TestColor> red = TestColor.Red;

        Assert.True(red.IsSet);
        Assert.True(red.IsKnown);
        Assert.Equal(TestColor.Red, red.Value);
        Assert.True(red == TestColor.Red);
        Assert.True(TestColor.Red == red);
        Assert.True(red != TestColor.Green);
        Assert.False(red == TestColor.Other);
        Assert.Equal("red", red.ToString());
        Assert.Equal("red", red.Text.Value);
        Assert.Equal("red", Write(red));
        Assert.Equal(3, red.GetLength());
    }

    [Fact]
    public void Default_is_unset_and_equals_no_member()
    {
        AuditEnum<TestColor> unset = default;

        Assert.False(unset.IsSet);
        Assert.False(unset.IsKnown);
        Assert.False(unset == TestColor.Other);
        Assert.False(unset == TestColor.Red);
        Assert.True(unset.Text.IsAbsent);
        Assert.Equal("", unset.ToString());
        Assert.Equal("?", Write(unset));
        Assert.Equal(default, unset);
    }

    [Fact]
    public void An_unknown_text_is_kept_as_other()
    {
        AuditEnum<TestColor> purple = AuditEnum<TestColor>.FromText(AuditText.FromRawToken(U("purple")));

        Assert.True(purple.IsSet);
        Assert.False(purple.IsKnown);
        Assert.Equal(TestColor.Other, purple.Value);
        Assert.True(purple == TestColor.Other);
        Assert.False(purple == TestColor.Red);
        Assert.Equal("purple", purple.Text.Value);
        Assert.Equal("purple", purple.ToString());
        Assert.Equal("purple", Write(purple));
        Assert.Equal(6, purple.GetLength());
    }

    [Fact]
    public void FromText_recognises_registered_texts_from_any_origin()
    {
        Assert.True(AuditEnum<TestColor>.FromText("dark-blue") == TestColor.DarkBlue);
        Assert.True(AuditEnum<TestColor>.FromText(AuditText.FromEncodedToken(U("\"green\""))) == TestColor.Green);
        Assert.True(AuditEnum<TestColor>.FromText(AuditText.FromEncodedToken(U("726564"))) == TestColor.Red);
    }

    [Fact]
    public void An_absent_text_is_a_set_other_value_written_as_question_mark()
    {
        AuditEnum<TestVirt> unknownVirt = AuditEnum<TestVirt>.FromText(AuditText.FromRawToken(U("?")));

        Assert.True(unknownVirt.IsSet);
        Assert.False(unknownVirt.IsKnown);
        Assert.True(unknownVirt == TestVirt.Other);
        Assert.True(unknownVirt.Text.IsAbsent);
        Assert.Equal("?", Write(unknownVirt));
        Assert.Equal("?", unknownVirt.ToString());
    }

    [Fact]
    public void A_member_without_text_converts_to_an_unknown_value()
    {
        AuditEnum<TestColor> other = TestColor.Other;
        AuditEnum<TestColor> unnamed = TestColor.Unnamed;

        Assert.True(other.IsSet);
        Assert.False(other.IsKnown);
        Assert.False(unnamed.IsKnown);
        Assert.Equal("?", Write(other));
        Assert.Equal("?", Write(unnamed));
    }

    [Fact]
    public void Equality_between_values()
    {
        AuditEnum<TestColor> red = TestColor.Red;
        AuditEnum<TestColor> parsedRed = AuditEnum<TestColor>.FromText(AuditText.FromRawToken(U("red")));
        AuditEnum<TestColor> purple = AuditEnum<TestColor>.FromText("purple");
        AuditEnum<TestColor> parsedPurple = AuditEnum<TestColor>.FromText(AuditText.FromRawToken(U("purple")));
        AuditEnum<TestColor> pink = AuditEnum<TestColor>.FromText("pink");

        Assert.True(red == parsedRed);
        Assert.Equal(red.GetHashCode(), parsedRed.GetHashCode());
        Assert.True(purple == parsedPurple);
        Assert.Equal(purple.GetHashCode(), parsedPurple.GetHashCode());
        Assert.True(purple != pink);
        Assert.True(red != purple);
        Assert.True(red != default(AuditEnum<TestColor>));
        Assert.True(purple.Equals((object)parsedPurple));
        Assert.False(purple.Equals((object)"purple"));
    }

    [Fact]
    public void Writing_reports_a_destination_that_is_too_small()
    {
        AuditEnum<TestColor> blue = TestColor.DarkBlue;
        Assert.False(blue.TryWrite(new byte[8], out int written));
        Assert.Equal(0, written);
        Assert.False(AuditEnum<TestColor>.FromText("purple").TryWrite(new byte[5], out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Comparing_with_members_does_not_allocate()
    {
        AuditEnum<TestColor> red = TestColor.Red;
        AuditEnum<TestColor> purple = AuditEnum<TestColor>.FromText(AuditText.FromRawToken(U("purple")));
        int hits = Count(red, purple);

        (long measured, int runs) = AllocationProbe.AssertAllocatesNothing("comparing enum values 3,000 times", () => Count(red, purple));

        Assert.Equal(3 * 1000, hits);
        Assert.Equal(runs * 3 * 1000L, measured);

        static int Count(AuditEnum<TestColor> red, AuditEnum<TestColor> purple)
        {
            int hits = 0;
            for (int i = 0; i < 1000; i++)
            {
                hits += red == TestColor.Red ? 1 : 0;
                hits += purple == TestColor.Other ? 1 : 0;
                hits += red.Equals(purple) ? 0 : 1;
                hits += red.GetHashCode() == 0 ? 100 : 0;
            }

            return hits;
        }
    }

    private static string Write(AuditEnum<TestColor> value)
    {
        byte[] buffer = new byte[value.GetLength()];
        Assert.True(value.TryWrite(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return S(buffer.AsSpan());
    }

    private static string Write(AuditEnum<TestVirt> value)
    {
        byte[] buffer = new byte[value.GetLength()];
        Assert.True(value.TryWrite(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return S(buffer.AsSpan());
    }

    public enum LocalEnum
    {
        Other = 0,
        A = 1,
    }
}
