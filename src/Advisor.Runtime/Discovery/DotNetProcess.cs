namespace Advisor.Runtime.Discovery;

/// <summary>A .NET process that can be profiled.</summary>
public sealed record DotNetProcess(int Pid, string Name, string? RuntimeVersion, string CommandLine)
{
    /// <summary>
    /// What users call the app: the process name for an apphost, and for `dotnet [exec] App.dll` the
    /// assembly's name, since every such process is named "dotnet".
    /// </summary>
    public string AppName =>
        CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) is { } assembly
            ? Path.GetFileNameWithoutExtension(assembly)
            : Name;
}
