using System;
using System.Text;

namespace Instrumentation.Mlflow;

/// <summary>Builds the tree's text line by line, with or without ANSI colors.</summary>
internal sealed class TreeWriter
{
    public const string Reset = "\u001b[0m";
    public const string Dim = "\u001b[2m";
    public const string Bold = "\u001b[1m";
    public const string Red = "\u001b[31m";
    public const string Green = "\u001b[32m";
    public const string Yellow = "\u001b[33m";

    /// <summary>Between the facts of one line.</summary>
    public const string Separator = " · ";

    private readonly StringBuilder _builder = new();
    private readonly bool _color;

    public TreeWriter(TraceTreeOptions options)
    {
        Options = options;
        _color = options.UseColor;
    }

    public TraceTreeOptions Options { get; }

    /// <summary>Writes the box-drawing guide that starts a line, dimmed unless it is only spaces.</summary>
    public TreeWriter Guide(string guide)
    {
        if (guide.Length > 0)
        {
            _builder.Append(guide.AsSpan().Trim().IsEmpty ? guide : Paint(Dim, guide));
        }

        return this;
    }

    public TreeWriter Append(string text)
    {
        _builder.Append(text);
        return this;
    }

    public TreeWriter Append(string color, string text) => Append(Paint(color, text));

    /// <summary>Writes one more fact of the line: <see cref="Separator"/>, then <paramref name="text"/>.</summary>
    public TreeWriter Fact(string text) => Append(Separator).Append(text);

    /// <inheritdoc cref="Fact(string)"/>
    public TreeWriter Fact(string color, string text) => Append(Separator).Append(color, text);

    public void EndLine() => _builder.Append('\n');

    /// <summary>The empty line after each trace.</summary>
    public void EndTrace() => _builder.Append('\n');

    public override string ToString() => _builder.ToString();

    /// <summary>Wraps <paramref name="text"/> in <paramref name="color"/> when colors are on.</summary>
    public string Paint(string color, string text) => _color ? color + text + Reset : text;
}
