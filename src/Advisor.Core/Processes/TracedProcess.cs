namespace Advisor.Core.Processes;

/// <summary>
/// One process of the recording: the target, or a child it started (a testhost under <c>dotnet test</c>, the
/// app under <c>dotnet run</c>, an MSBuild node). Findings and threads say which one they are in.
/// </summary>
/// <param name="Name">What a reader knows it by: the app's assembly for <c>dotnet app.dll</c>, else its comm.</param>
/// <param name="RuntimeVersion">The .NET runtime it loaded, or null for a process that ran no .NET.</param>
/// <param name="Tooling">Whose tooling the whole process is ("the .NET SDK", "MSBuild", "the test platform"), or
/// null for an application process.</param>
public sealed record TracedProcess(int Pid, string Name, string CommandLine, string? RuntimeVersion, string? Tooling);
