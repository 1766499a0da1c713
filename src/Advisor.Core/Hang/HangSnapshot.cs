namespace Advisor.Core.Hang;

/// <summary>Everything the triage saw of one process: its threads over the window and, for .NET, its runtime.</summary>
/// <param name="Runtime">Null for a non-.NET process, or when the runtime could not be read (see <see cref="Notes"/>).</param>
public sealed record HangSnapshot(
    int Pid,
    string Name,
    string CommandLine,
    double WindowMs,
    IReadOnlyList<HangThread> Threads,
    RuntimeState? Runtime,
    IReadOnlyList<string> Notes)
{
    /// <summary>The process's sockets when it was observed; empty when they could not be read.</summary>
    public IReadOnlyList<ProcessSocket> Sockets { get; init; } = [];
}
