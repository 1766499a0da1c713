namespace Advisor.Core.Sources;

/// <summary>How complete a recording is, as the backend saw it.</summary>
/// <param name="Samples">Raw records decoded (an enter and an exit each count).</param>
/// <param name="Lost">Records the kernel dropped because a buffer was full.</param>
/// <param name="Unpaired">Enters or exits whose other half never came (calls in flight at attach or detach).</param>
/// <param name="Notes">Things the report should tell the user about how this recording was made.</param>
public sealed record SourceStatistics(long Samples, long Lost, long Unpaired, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// What the backend adds to each call's measured duration, as measured on this machine after the recording
    /// stopped (None when unknown): a task, so that the runtime session ends while it is measured.
    /// </summary>
    public Task<TracerCost> Tracer { get; init; } = Task.FromResult(TracerCost.None);
}
