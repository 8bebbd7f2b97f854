using System.Collections.Generic;
using System.Linq;
using System.Text;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>The splitter every input goes through: lines across chunk boundaries, the limit, offsets, encodings.</summary>
public sealed class BoundedLineSplitterTests
{
    private static List<SplitLine> Split(BoundedLineSplitter splitter, params string[] chunks)
    {
        var lines = new List<SplitLine>();
        foreach (var chunk in chunks)
        {
            splitter.Feed(Encoding.UTF8.GetBytes(chunk), lines);
        }

        return lines;
    }

    [Fact]
    public void Lines_split_across_chunks_keep_their_numbers_and_byte_offsets()
    {
        var splitter = new BoundedLineSplitter();
        var lines = Split(splitter, "ab", "c\r\nd", "é\n\nx");

        Assert.Equal(new[] { "abc", "dé", "" }, lines.Select(l => l.Text));
        Assert.Equal(new long[] { 1, 2, 3 }, lines.Select(l => l.Number));
        Assert.Equal(new long[] { 0, 5, 9 }, lines.Select(l => l.Offset));
        Assert.Equal(10, splitter.PendingLineOffset);
        var last = splitter.TakePartial();
        Assert.Equal(new SplitLine("x", 4, 10, null), last);
        Assert.Null(splitter.TakePartial());
    }

    [Fact]
    public void A_line_over_the_limit_is_given_at_once_then_discarded_to_its_break_without_growing_the_buffer()
    {
        var splitter = new BoundedLineSplitter(maxLineBytes: 10);
        var lines = Split(splitter, "short\n", "0123456789ABC");
        var skipped = Assert.Single(lines.Skip(1));
        Assert.Equal(2, skipped.Number);
        Assert.Null(skipped.Text);
        Assert.StartsWith("line longer than the 10 bytes limit", skipped.Problem, System.StringComparison.Ordinal);

        lines.Clear();
        for (var i = 0; i < 1000; i++)
        {
            splitter.Feed(Encoding.UTF8.GetBytes(new string('z', 1000)), lines);
        }

        Assert.Empty(lines);
        Assert.InRange(splitter.BufferCapacity, 0, 4096);
        splitter.Feed("tail\nnext\n"u8, lines);
        Assert.Equal(new SplitLine("next", 3, 6 + 13 + 1_000_000 + 5, null), Assert.Single(lines));
    }

    [Fact]
    public void A_line_of_exactly_the_limit_is_kept_with_or_without_a_carriage_return()
    {
        var splitter = new BoundedLineSplitter(maxLineBytes: 4);
        var lines = Split(splitter, "abcd\r\nabcd\nabcde\n");

        Assert.Equal(new[] { "abcd", "abcd", null }, lines.Select(l => l.Text));
        Assert.NotNull(lines[2].Problem);
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_is_dropped_and_invalid_utf8_is_a_problem_with_its_byte()
    {
        var splitter = new BoundedLineSplitter();
        var lines = new List<SplitLine>();
        splitter.Feed([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}', (byte)'\n', (byte)'a', 0xFE, (byte)'\n'], lines);

        Assert.Equal("{}", lines[0].Text);
        Assert.Null(lines[1].Text);
        Assert.Equal("not valid UTF-8 at byte 2 of the line (0xFE)", lines[1].Problem);
    }
}
