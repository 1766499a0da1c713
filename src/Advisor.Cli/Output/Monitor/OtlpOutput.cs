using System.CommandLine;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Reports.Otlp;
using OpenTelemetry.Exporter;

namespace Advisor.Cli.Output.Monitor;

/// <summary><c>--otlp URL [--otlp-protocol P]</c>: the same numbers, and a log record per finding raised or cleared, to an OpenTelemetry collector.</summary>
internal sealed class OtlpOutput : IMonitorOutput
{
    private readonly Option<string?> _url = new("--otlp")
    {
        HelpName = "URL",
        Description = "Send the same numbers over OTLP, and a log record for each finding raised or cleared, to an OpenTelemetry collector at URL. "
            + "Over http/protobuf URL is the base (http://HOST:4318): metrics go to URL/v1/metrics, logs to URL/v1/logs; over grpc it is the collector's address (http://HOST:4317).",
    };

    private readonly Option<string?> _protocol = new("--otlp-protocol")
    {
        HelpName = "http/protobuf|grpc",
        Description = "How --otlp sends: http/protobuf (default) or grpc.",
    };

    public IReadOnlyList<Option> Options => [_url, _protocol];

    public MonitorOutputPlan? Bind(ParseResult result) => Endpoint(result.GetValue(_url), result.GetValue(_protocol)) is { } endpoint ? new Plan(endpoint) : null;

    private static OtlpEndpoint? Endpoint(string? url, string? protocol)
    {
        if (url is null)
        {
            return protocol is null ? null : throw new AdvisorException(FailureKind.Usage, "--otlp-protocol needs --otlp URL");
        }

        var how = protocol is null ? OtlpExportProtocol.HttpProtobuf
            : OtlpEndpoint.ParseProtocol(protocol) ?? throw new AdvisorException(FailureKind.Usage, $"--otlp-protocol '{protocol}' must be http/protobuf or grpc");
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? new OtlpEndpoint(uri, how)
            : throw new AdvisorException(FailureKind.Usage, $"--otlp '{url}' must be an absolute http:// or https:// URL, such as http://127.0.0.1:4318");
    }

    private sealed class Plan(OtlpEndpoint endpoint) : MonitorOutputPlan
    {
        /// <summary>Started once attached, and announced first: a collector that refuses says so after this line, not before the watch's.</summary>
        public override IMonitorExporter Start(MonitorOutputContext context)
        {
            MonitorLog.Sending(context.Log, endpoint);
            return MonitorOtlp.Start(new MonitorOtlpSettings(
                endpoint, context.Interval, context.ToolVersion, f => f.Stacks.Count > 0 ? CallPath.Of(f.Stacks[0]) : null, change => MonitorLog.Export(context.Log, change)));
        }
    }
}
