namespace Advisor.Linux.Procfs;

/// <summary>Who a process is: its name and command line, from /proc.</summary>
public sealed record ProcessIdentity(int Pid, string Name, string CommandLine)
{
    public static ProcessIdentity? Read(int pid)
    {
        try
        {
            var name = File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            return new ProcessIdentity(pid, name, cmdline);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
