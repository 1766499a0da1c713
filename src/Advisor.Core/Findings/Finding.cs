namespace Advisor.Core.Findings;

/// <summary>One pattern a rule recognised, with its evidence, what fixing it would save, and how to fix it.</summary>
/// <param name="EstimatedSavingMs">
/// What the avoidable calls cost their threads in this recording — kernel work and device time, with what the
/// recorder added taken out — and so what the fix saves when the program runs without the tool. Time spent
/// waiting is not in it (see <see cref="BlockedMs"/>).
/// </param>
/// <param name="SavingExplanation">How the saving was estimated, in one line (calls avoidable × cost per call).</param>
public sealed record Finding(
    string RuleId,
    string RuleName,
    Severity Severity,
    string Title,
    string Message,
    Evidence Evidence,
    ThreadShare? Thread,
    IReadOnlyList<StackSample> Stacks,
    double EstimatedSavingMs,
    long AvoidableCalls,
    string SavingExplanation,
    IReadOnlyList<Advice> Advice)
{
    /// <summary>
    /// How long the avoidable calls kept their threads waiting (for a lock, a timer, a peer): latency the fix
    /// gives back, not CPU; null when they did not wait.
    /// </summary>
    public double? BlockedMs { get; init; }

    /// <summary>The process the calls were made in; null for findings drawn from runtime events of several.</summary>
    public ProcessRef? Process { get; init; }

    /// <summary>
    /// The call site the message names: the first application frame and the API it called
    /// (<c>MyApp.Log.Write → FileStream.Write</c>); null when the stacks hold no application frame. What
    /// <c>diff</c> matches a finding by across runs, with its rule and process.
    /// </summary>
    public string? CallSite { get; init; }
}

/// <summary>A process as findings and threads name it: its pid and what a reader knows it by.</summary>
public sealed record ProcessRef(int Pid, string Name);
