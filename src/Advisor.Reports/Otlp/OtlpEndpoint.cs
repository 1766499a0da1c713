using OpenTelemetry.Exporter;

namespace Advisor.Reports.Otlp;

/// <summary>
/// Where monitor's OTLP goes, by the rules the OpenTelemetry SDK applies to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>:
/// over http/protobuf the URL is the base and each signal posts to its path under it (<c>/v1/metrics</c>,
/// <c>/v1/logs</c>); over gRPC the URL is the collector's address as it is.
/// </summary>
public sealed record OtlpEndpoint(Uri Url, OtlpExportProtocol Protocol)
{
    /// <summary>The protocol as OTLP spells it (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>): http/protobuf or grpc.</summary>
    public string ProtocolName => Protocol == OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf";

    public Uri Metrics => Signal("v1/metrics");

    public Uri Logs => Signal("v1/logs");

    /// <summary>The protocol named as OTLP spells it, or null for any other word.</summary>
    public static OtlpExportProtocol? ParseProtocol(string name) => name switch
    {
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        "grpc" => OtlpExportProtocol.Grpc,
        _ => null,
    };

    private Uri Signal(string path)
    {
        if (Protocol == OtlpExportProtocol.Grpc)
        {
            return Url;
        }

        // http://host:4318 → http://host:4318/v1/metrics; http://host/otlp/ → http://host/otlp/v1/metrics.
        var builder = new UriBuilder(Url);
        builder.Path = builder.Path.TrimEnd('/') + "/" + path;
        return builder.Uri;
    }
}
