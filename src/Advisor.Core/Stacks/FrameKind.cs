namespace Advisor.Core.Stacks;

/// <summary>
/// Whose code a frame is, which decides how a finding names its call site and whose finding it is: the
/// application's own frames are what a finding is about; a library's or the framework's are what it called.
/// </summary>
public enum FrameKind
{
    /// <summary>The application's own managed code (its assemblies and the projects it references).</summary>
    User,

    /// <summary>Managed code of .NET itself: the shared framework (System.*, Microsoft.AspNetCore.*, …), stubs included.</summary>
    Framework,

    /// <summary>Native code with a symbol (libc, libcoreclr).</summary>
    Native,

    /// <summary>An address no symbol source could name.</summary>
    Unknown,

    /// <summary>A third-party library the application uses (a NuGet package: Serilog, NLog, Microsoft.Data.Sqlite).</summary>
    Library,

    /// <summary>
    /// The tooling around the application: the .NET SDK and CLI, MSBuild, the compiler, the test platform
    /// (testhost, vstest, test adapters and runners).
    /// </summary>
    Tooling,
}
