namespace Advisor.Linux.Bpf;

/// <summary>Where in bringing up the bpf backend a refusal came: each step fails for its own causes.</summary>
internal enum BpfStep
{
    /// <summary>libbpf reading the embedded object (ELF, BTF, sections): no kernel involved yet.</summary>
    Open,

    /// <summary>The kernel creating the maps and verifying the programs.</summary>
    Load,

    /// <summary>The kernel attaching one program to its hook.</summary>
    Attach,
}
