using Advisor.Reports.Otlp;

namespace Advisor.UnitTests.Reports.Otlp;

/// <summary>How an export's failure, as the OpenTelemetry SDK writes it on its event source, is said on monitor's line.</summary>
public sealed class OtlpExportEventsTests
{
    [Theory]
    [InlineData(
        "System.Net.Http.HttpRequestException: Connection refused (127.0.0.1:4318)\n ---> System.Net.Sockets.SocketException (111): Connection refused\n   at System.Net.Sockets.Socket.Connect()",
        "Connection refused (127.0.0.1:4318)")]
    [InlineData(
        "System.Net.Http.HttpRequestException: Name or service not known (collector:4318)\r\n ---> System.Net.Sockets.SocketException (0xFFFDFFFE): Name or service not known",
        "Name or service not known (collector:4318)")]
    [InlineData("Response status code does not indicate success: 404 (Not Found).", "Response status code does not indicate success: 404 (Not Found).")]
    public void An_exception_as_the_SDK_writes_it_is_said_by_its_message_alone(string written, string said) =>
        OtlpExportEvents.Summary(written).ShouldBe(said);
}
