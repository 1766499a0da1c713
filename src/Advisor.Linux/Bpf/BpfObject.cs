using System.Runtime.InteropServices;
using Advisor.Core.Failures;

namespace Advisor.Linux.Bpf;

/// <summary>
/// The embedded kernel program loaded through libbpf: its maps created, its programs verified, and attached
/// on demand. Everything lives in this process's file descriptors — nothing is pinned — so closing them, or
/// the tool's death, detaches every program and frees every map.
/// </summary>
internal sealed unsafe class BpfObject : IDisposable
{
    private const string Resource = "bpf/syscalls.bpf.o";

    private readonly List<(string Program, nint Link)> _links = [];
    private nint _object;

    private BpfObject(nint obj) => _object = obj;

    /// <summary>Creates the maps, the ring buffer with <paramref name="ringBytes"/>, and verifies the programs.</summary>
    /// <exception cref="AdvisorException">libbpf is missing or the kernel refused the program (exit 4, with the remedy).</exception>
    public static BpfObject Load(ulong ringBytes)
    {
        if (!ulong.IsPow2(ringBytes) || ringBytes < (ulong)Environment.SystemPageSize || ringBytes > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(ringBytes), ringBytes, "a bpf ring buffer's size is a power of two of at least a page");
        }

        var bytes = EmbeddedObject();
        nint obj;
        try
        {
            _ = LibBpf.SetPrint(0);
            fixed (byte* image = bytes)
            {
                obj = LibBpf.ObjectOpenMem(image, (nuint)bytes.Length, 0);
            }
        }
        catch (DllNotFoundException)
        {
            throw new AdvisorException(
                FailureKind.Privilege,
                $"{LibBpf.Library} is not installed (Debian and Ubuntu: apt-get install libbpf1); or use --backend perf");
        }

        if (obj == 0)
        {
            throw Refused(new BpfRefusal(BpfStep.Open, Marshal.GetLastPInvokeError()));
        }

        var ring = LibBpf.FindMap(obj, "events");
        if (ring == 0 || LibBpf.MapSetMaxEntries(ring, (uint)ringBytes) != 0)
        {
            LibBpf.ObjectClose(obj);
            throw new AdvisorException(FailureKind.Internal, "the bpf object's ring buffer could not be sized");
        }

        var loaded = LibBpf.ObjectLoad(obj);
        if (loaded != 0)
        {
            LibBpf.ObjectClose(obj);
            throw Refused(new BpfRefusal(BpfStep.Load, -loaded));
        }

        return new BpfObject(obj);
    }

    public int MapFd(string name)
    {
        var map = LibBpf.FindMap(_object, name);
        return map == 0 ? throw new AdvisorException(FailureKind.Internal, $"the bpf object has no map '{name}'") : LibBpf.MapFd(map);
    }

    /// <summary>Attaches a program where its section says (each is a BTF raw tracepoint, tp_btf: none needs tracefs).</summary>
    public void Attach(string program)
    {
        var prog = LibBpf.FindProgram(_object, program);
        if (prog == 0)
        {
            throw new AdvisorException(FailureKind.Internal, $"the bpf object has no program '{program}'");
        }

        var link = LibBpf.ProgramAttach(prog);
        if (link == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw Refused(new BpfRefusal(BpfStep.Attach, errno, program, Marshal.PtrToStringUTF8(LibBpf.ProgramSectionName(prog))));
        }

        _links.Add((program, link));
    }

    /// <summary>Detaches one program, if attached: it runs no more from when this returns.</summary>
    public void Detach(string program)
    {
        var i = _links.FindIndex(l => l.Program == program);
        if (i >= 0)
        {
            _ = LibBpf.LinkDestroy(_links[i].Link);
            _links.RemoveAt(i);
        }
    }

    /// <summary>Detaches every program: no new record is written after this returns.</summary>
    public void Detach()
    {
        for (var i = _links.Count - 1; i >= 0; i--)
        {
            _ = LibBpf.LinkDestroy(_links[i].Link);
        }

        _links.Clear();
    }

    public void Dispose()
    {
        Detach();
        if (_object != 0)
        {
            LibBpf.ObjectClose(_object);
            _object = 0;
        }
    }

    private static byte[] EmbeddedObject()
    {
        using var stream = typeof(BpfObject).Assembly.GetManifestResourceStream(Resource)
            ?? throw new AdvisorException(FailureKind.Internal, $"the tool was built without {Resource}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A refusal is a privilege or kernel matter: auto then takes the perf backend, saying why.</summary>
    private static AdvisorException Refused(BpfRefusal refusal) => new(FailureKind.Privilege, refusal.Describe(BpfHost.Read()));
}
