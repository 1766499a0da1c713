namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>
/// The tests that start a <see cref="Advisor.Reports.Otlp.MonitorOtlp"/>, run one at a time: the SDK's meter
/// provider listens to every meter of its name in the process, so two at once read each other's instruments, and
/// one can take the last report of another's exited process (seen: a series expected gone was still exported).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OtlpMeterCollection
{
    public const string Name = "OTLP meter";
}
