using System.Globalization;
using System.Text.Json;
using Advisor.IntegrationTests.Support;
using Advisor.UnitTests.Reports.Otlp;

namespace Advisor.IntegrationTests;

/// <summary>
/// `monitor --otlp`: a real watch of the UnbufferedWriter sample sending to a loopback OTLP/HTTP receiver, which
/// decodes what arrives with the OTLP protobuf definitions.
/// </summary>
public sealed class MonitorOtlpTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-monitor-otlp-");

    private string Start => Path.Combine(_dir.FullName, "start");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void The_receiver_decodes_the_finding_at_1_then_0_a_growing_pwrite64_counter_and_the_raised_and_cleared_log_records()
    {
        Privileges.RequireTracing();
        using var receiver = new OtlpReceiver();
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "steady.dat"), "--run-for", "12", "--buffered-after", "5", "--start-after", Start]);
        try
        {
            using var tool = ProcessRunner.Start(RepoLayout.Tool, ["monitor", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--interval", "1s", "--otlp", receiver.Url]);
            // Its 5 s of unbuffered writes start once the watch is in place, however long attaching takes on a busy machine.
            var before = new List<string>();
            while (tool.StandardOutput.ReadLine() is { } line)
            {
                before.Add(line);
                if (line.Contains(" watching pid ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            if (!before.Exists(l => l.Contains(" watching pid ", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("monitor never said it was watching:\n" + tool.StandardError.ReadToEnd()); // read only then: it waits for the tool's end
            }

            File.WriteAllText(Start, "");
            var output = tool.StandardOutput.ReadToEndAsync().ContinueWith(t => string.Join('\n', before) + "\n" + t.Result, TaskScheduler.Default);
            tool.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("monitor did not stop when its target exited");
            tool.ExitCode.ShouldBe(0, tool.StandardError.ReadToEnd());
            output.Result.ShouldContain($"sending metrics and finding logs to {receiver.Url}/v1/metrics and {receiver.Url}/v1/logs over OTLP (http/protobuf)");

            receiver.Refused.ShouldBeEmpty();
            var points = receiver.Points.Where(p => Equals(p.Attribute("pid"), (long)target.Id)).ToList();
            var finding = points.Where(p => p.Name == "dotnet_advisor_findings" && Equals(p.Attribute("rule"), "ADV002")).Select(p => p.Value).ToList();
            finding.ShouldContain(1, output.Result);
            finding.Skip(finding.IndexOf(1)).ShouldContain(0, "the finding did not go back to 0 after the sample buffered");
            var writes = points.Where(p => p.Name == "dotnet_advisor_syscalls_total" && Equals(p.Attribute("syscall"), "pwrite64")).Select(p => p.Value).ToList();
            writes.Count.ShouldBeGreaterThan(1);
            writes.ShouldBe(writes.Order().ToList(), "a cumulative counter went down");
            writes[^1].ShouldBeGreaterThan(writes[0]);
            points.ShouldAllBe(p => p.Resource.Attributes.Any(a => a.Key == "service.name" && a.Value.StringValue == "dotnet-advisor"));

            var logs = receiver.Logs.Where(l => Equals(l.Attribute("rule"), "ADV002") && Equals(l.Attribute("pid"), (long)target.Id)).ToList();
            var raised = logs.Where(l => Equals(l.Attribute("dotnet_advisor.event"), "raised")).ShouldHaveSingleItem(output.Result);
            raised.Record.Body.StringValue.ShouldStartWith($"raised warning ADV002 unbuffered-writes pid {target.Id} UnbufferedWriter: pwrite64 ×");
            ((string)raised.Attribute("site")!).ShouldContain("Program.Steady");
            using (var json = JsonDocument.Parse((string)raised.Attribute("finding")!))
            {
                json.RootElement.GetProperty("ruleId").GetString().ShouldBe("ADV002");
                json.RootElement.GetProperty("evidence").GetProperty("path").GetString().ShouldEndWith("steady.dat");
            }

            logs.Where(l => Equals(l.Attribute("dotnet_advisor.event"), "cleared")).ShouldHaveSingleItem(output.Result);
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
                target.WaitForExit();
            }
        }
    }
}
