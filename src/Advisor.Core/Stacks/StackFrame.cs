namespace Advisor.Core.Stacks;

/// <summary>One named frame of a call stack.</summary>
/// <param name="Name">For managed frames <c>Namespace.Type.Method</c>; for native ones <c>module!symbol</c>.</param>
public sealed record StackFrame(string Name, FrameKind Kind);
