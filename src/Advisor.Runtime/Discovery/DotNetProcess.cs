namespace Advisor.Runtime.Discovery;

/// <summary>A .NET process that can be profiled.</summary>
public sealed record DotNetProcess(int Pid, string Name, string? RuntimeVersion, string CommandLine);
