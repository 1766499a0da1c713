using Advisor.Core.Findings;
using Advisor.Runtime.Symbols;

namespace Advisor.Cli.Rendering;

/// <summary>
/// A call site as one console line, caller first: the managed frames from the first application frame down
/// to the call (<c>Program.WriteRecords → System.IO.FileStream.Write → …Strategy.Write</c>). Native frames
/// and addresses stay in the JSON report; here they only lengthen the line.
/// </summary>
internal static class CallPath
{
    private const int MaxFrames = 4;

    public static string? Of(StackSample stack)
    {
        var managed = stack.Frames.Where(IsManaged).ToList();
        // A frame name starts with its type's, so the symbolizer's own test of framework code applies.
        var user = managed.FindIndex(f => !MethodNames.IsFramework(f));
        if (managed.Count == 0)
        {
            return null;
        }

        // Up to the application frame (or the outermost managed one), keeping the frames nearest to it.
        var end = user < 0 ? managed.Count - 1 : user;
        var start = Math.Max(0, end - MaxFrames + 1);
        return string.Join(" → ", managed.Skip(start).Take(end - start + 1).Reverse());
    }

    /// <summary>Native frames read <c>libc.so.6!pwrite64</c> or <c>libfoo.so+0x12</c>; unknown ones <c>0x7f…</c>.</summary>
    private static bool IsManaged(string frame) =>
        !frame.StartsWith("0x", StringComparison.Ordinal) && !frame.Contains('!', StringComparison.Ordinal) && !frame.Contains(".so+0x", StringComparison.Ordinal);
}
