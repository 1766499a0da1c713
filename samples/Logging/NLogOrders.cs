using System.Runtime.CompilerServices;
using NLog;
using NLog.Config;
using NLog.Targets;

namespace Logging;

/// <summary>
/// NLog with a FileTarget configured in code. Pathological: KeepFileOpen = false, so NLog opens the file,
/// writes the event and closes it again for every event (ADV007 open-close churn). Fixed: the file kept open
/// and AutoFlush off, so events collect in NLog's buffer and reach the file a buffer at a time.
/// </summary>
internal sealed class NLogOrders : IOrderLog
{
    private readonly LogFactory factory = new();
    private readonly Logger logger;

    public NLogOrders(string path, bool isFixed)
    {
        var file = new FileTarget("orders")
        {
            FileName = path,
            Layout = "${longdate}|${level:uppercase=true}|${logger}|${message}",
            KeepFileOpen = isFixed,
            // NLog's default (true) flushes every event to the file: one write each even with the file kept open.
            AutoFlush = !isFixed,
        };
        var config = new LoggingConfiguration(factory);
        config.AddRuleForAllLevels(file);
        factory.Configuration = config; // in code: no NLog.config is looked for
        logger = factory.GetLogger("Orders");
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public void Run(int events)
    {
        for (int i = 0; i < events; i++)
        {
            logger.Info("order {OrderId} shipped to {Customer}, qty {Quantity}", i, Order.Customer(i), Order.Quantity(i));
        }
    }

    public void Dispose() => factory.Dispose(); // flushes and closes the targets
}
