namespace Advisor.Core.Reporting;

/// <summary>Names that become JSON keys (dictionary keys are not touched by the serializer's naming policy).</summary>
internal static class JsonNaming
{
    public static string Camel(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
