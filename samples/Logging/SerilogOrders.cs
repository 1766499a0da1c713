using System.Globalization;
using System.Runtime.CompilerServices;
using Serilog;
using Serilog.Core;

namespace Logging;

/// <summary>
/// Serilog with Serilog.Sinks.File. Pathological: buffered: false (the sink's default), so the sink flushes
/// its writer after every event: one write syscall each (ADV002). Fixed: buffered: true, flushed when the
/// buffer is full, every second to disk (flushToDiskInterval, as a service would set it), and at the end.
/// </summary>
internal sealed class SerilogOrders : IOrderLog
{
    private readonly Logger logger;

    public SerilogOrders(string path, bool isFixed) =>
        logger = new LoggerConfiguration()
            .WriteTo.File(
                path,
                formatProvider: CultureInfo.InvariantCulture,
                buffered: isFixed,
                flushToDiskInterval: isFixed ? TimeSpan.FromSeconds(1) : null)
            .CreateLogger();

    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public void Run(int events)
    {
        for (int i = 0; i < events; i++)
        {
            logger.Information("order {OrderId} shipped to {Customer}, qty {Quantity}", i, Order.Customer(i), Order.Quantity(i));
        }
    }

    public void Dispose() => logger.Dispose(); // flushes and closes the file
}
