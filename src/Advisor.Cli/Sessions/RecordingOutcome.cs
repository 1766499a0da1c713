using Advisor.Core.Aggregation;
using Advisor.Core.Recording;
using Advisor.Core.Sources;

namespace Advisor.Cli.Sessions;

/// <summary>
/// What the recording loop produced, before the runtime side is joined: the syscalls alone (no named stacks,
/// no runtime events yet), the source's statistics, and why it ended. <see cref="RecordingSession.FinishAsync"/>
/// turns it into a <see cref="RecordingResult"/>.
/// </summary>
internal sealed record RecordingOutcome(SyscallSnapshot Syscalls, SourceStatistics Statistics, StopReason Reason);
