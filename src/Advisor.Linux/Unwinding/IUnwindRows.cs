namespace Advisor.Linux.Unwinding;

/// <summary>Finds the call frame information row in force at an address of a process.</summary>
public interface IUnwindRows
{
    /// <returns>False when no module's unwind tables cover the address: JIT'd code, ReadyToRun images, unknown memory.</returns>
    bool TryFind(int pid, ulong address, out UnwindRow row);
}
