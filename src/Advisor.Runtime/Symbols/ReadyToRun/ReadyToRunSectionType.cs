namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>The sections of a ReadyToRun header this reader looks at (numbers from the runtime's <c>readytorun.h</c>).</summary>
internal enum ReadyToRunSectionType
{
    RuntimeFunctions = 102,
    MethodDefEntryPoints = 103,
    DebugInfo = 105,
    ComponentAssemblies = 115,
    OwnerCompositeExecutable = 116,
    HotColdMap = 120,
}
