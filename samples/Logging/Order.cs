namespace Logging;

/// <summary>What each event says: the same orders, whichever library logs them.</summary>
internal static class Order
{
    private static readonly string[] Customers = ["acme", "globex", "initech", "umbrella", "hooli"];

    public static string Customer(int order) => Customers[order % Customers.Length];

    public static int Quantity(int order) => 1 + (order % 7);
}
