namespace Advisor.Core.Reporting.Exporters;

/// <summary>A format <c>-o</c> chooses by the file's ending: what the command line lists, validates and names in help.</summary>
public interface IFileFormat
{
    /// <summary>A short name (<c>json</c>, <c>sarif</c>), as the README's output table lists it.</summary>
    string Name { get; }

    /// <summary>The file name endings that choose it, lower case with the dot; the longest match over all formats wins.</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>One line for the README's table: what the file holds and who reads it.</summary>
    string Description { get; }
}
