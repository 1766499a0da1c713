using System.CommandLine;
using System.Globalization;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Reports.Prometheus;

namespace Advisor.Cli.Output.Monitor;

/// <summary><c>--prometheus [ADDR:]PORT</c>: the counts and findings served for Prometheus to scrape.</summary>
internal sealed class PrometheusOutput : IMonitorOutput
{
    private readonly Option<string?> _endpoint = new("--prometheus")
    {
        Description = "Serve the syscall counts, active findings and the tool's own health at http://ADDR:PORT/metrics for Prometheus to scrape ([ADDR:]PORT; ADDR defaults to 127.0.0.1, 0.0.0.0 listens on every address).",
    };

    public IReadOnlyList<Option> Options => [_endpoint];

    public MonitorOutputPlan? Bind(ParseResult result) => result.GetValue(_endpoint) is { } text ? new Plan(Endpoint(text)) : null;

    private static (string Address, int Port) Endpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        var address = colon < 0 ? "127.0.0.1" : text[..colon];
        return int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535 && address.Length > 0
            ? (address, port)
            : throw new AdvisorException(FailureKind.Usage, $"--prometheus '{text}' must be [ADDR:]PORT, such as 9464 or 0.0.0.0:9464");
    }

    private sealed class Plan((string Address, int Port) endpoint) : MonitorOutputPlan
    {
        private MonitorMetrics? _served;

        /// <exception cref="AdvisorException">The address cannot be bound (exit 2): a port in use, an address not this host's.</exception>
        public override void Open()
        {
            try
            {
                _served = MonitorMetrics.Serve(endpoint.Address, endpoint.Port);
            }
            catch (System.Net.HttpListenerException e)
            {
                throw new AdvisorException(FailureKind.Usage, $"--prometheus: cannot listen on {endpoint.Address}:{endpoint.Port}: {e.Message} (is the port in use?)");
            }
        }

        public override IMonitorExporter Start(MonitorOutputContext context)
        {
            var served = _served ?? throw new InvalidOperationException("opened before it starts");
            _served = null;
            MonitorLog.Serving(context.Log, $"http://{endpoint.Address}:{endpoint.Port}/metrics");
            return served;
        }

        public override void Dispose() => _served?.Dispose();
    }
}
