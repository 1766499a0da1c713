namespace LockContention;

/// <summary>
/// Thrown and caught on the main thread by <c>--markers</c>, only to make the runtime emit an
/// ExceptionThrown event with a recognizable type name. Nothing else throws it, so a test can pick the
/// marker events out of a trace by type. The message is <c>correlation marker &lt;i&gt;</c>, i from 0.
/// </summary>
internal sealed class CorrelationMarkerException(int index) : Exception($"correlation marker {index}");
