using Microsoft.Diagnostics.Runtime;

namespace Advisor.Runtime.Inspection;

/// <summary>
/// The sockets a thread's frames hold, as fds: a thread reading a socket synchronously has the Socket (or its
/// handle) live in the frames of the read, which says which connection it waits on — also when the wait itself
/// is a futex, with no fd in the syscall. Read as .NET 10 lays them out (<c>Socket._handle</c>, <c>SafeHandle.handle</c>).
/// </summary>
internal static class HeldSockets
{
    private const string SocketType = "System.Net.Sockets.Socket";
    private const string HandleType = "System.Net.Sockets.SafeSocketHandle";

    public static IReadOnlyList<int> Find(IEnumerable<ClrStackRoot> roots)
    {
        var fds = new List<int>();
        foreach (var root in roots)
        {
            var handle = root.Object.Type?.Name switch
            {
                SocketType => root.Object.Type.GetFieldByName("_handle") is { IsObjectReference: true } field ? field.ReadObject(root.Object.Address, interior: false) : default,
                HandleType => root.Object,
                _ => default,
            };
            if (!handle.IsNull && handle.Type?.GetFieldByName("handle") is { } value
                && value.Read<nint>(handle.Address, interior: false) is var fd && fd >= 0 && fd <= int.MaxValue && !fds.Contains((int)fd))
            {
                fds.Add((int)fd);
            }
        }

        return fds;
    }
}
