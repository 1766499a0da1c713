using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Commands;
using Advisor.Core.Failures;
using Advisor.Core.Reporting.Exporters;

namespace Advisor.Cli;

/// <summary>The command tree and the one place where failures become an error line and an exit code.</summary>
internal static class AdvisorCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "dotnet-advisor: records the system calls of a .NET process on Linux, finds costly patterns " +
            "(syscall storms, unbuffered writes, fsync storms, …) and says what to change.\n\n" + ExitCodes.Help);
        root.Subcommands.Add(PsCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create(new SharedOptions()));
        root.Subcommands.Add(RunCommand.Create(new SharedOptions()));
        root.Subcommands.Add(ReportCommand.Create(new SharedOptions(ExporterInput.RawEvents)));
        root.Subcommands.Add(HangCommand.Create(new SharedOptions(ExporterInput.Report)));
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        root.Subcommands.Add(DemoCommand.Create(new SharedOptions()));
        root.Subcommands.Add(RulesCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"dotnet-advisor: {ParseErrorLine.Of(parse)}").ConfigureAwait(false);
            return (int)ReturnCode.UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Ctrl+C and SIGTERM cancel the recording, which then still reports what it saw; this is how long
            // that may take before the process is ended anyway.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
        };

        try
        {
            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (AdvisorException e)
        {
            // One line per problem (a configuration may have several), each saying whose it is.
            foreach (var line in e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await Console.Error.WriteLineAsync($"dotnet-advisor: {line.TrimEnd('\r')}").ConfigureAwait(false);
            }

            return (int)ExitCodes.Of(e.Kind);
        }
#pragma warning disable CA1031 // The last line of defence: an unexpected fault becomes exit 5 and one line, not a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"dotnet-advisor: internal error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("ADVISOR_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync("Set ADVISOR_DEBUG=1 to print the details, and please report them.").ConfigureAwait(false);
            }

            return (int)ReturnCode.InternalError;
        }
    }
}
