namespace Advisor.Core.Stacks;

/// <summary>Where a frame's code comes from, which decides how a finding names its call site.</summary>
public enum FrameKind
{
    /// <summary>Managed code that is not part of .NET itself: the application or a library it uses.</summary>
    User,

    /// <summary>Managed code of the .NET libraries (System.*, Microsoft.*), stubs included.</summary>
    Framework,

    /// <summary>Native code with a symbol (libc, libcoreclr).</summary>
    Native,

    /// <summary>An address no symbol source could name.</summary>
    Unknown,
}
