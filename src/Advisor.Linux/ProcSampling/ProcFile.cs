using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Advisor.Linux.ProcSampling;

/// <summary>
/// A /proc file read again at every sample. Kept open, it is read from offset 0 each time (the kernel writes
/// it afresh on a read from the start): one pread per sample instead of open, fstat, read, read and close,
/// and no string allocated. The text is decoded byte for byte (Latin-1): these files are ASCII but for a
/// thread's name.
/// </summary>
internal sealed class ProcFile(string path, bool keepOpen = true) : IDisposable
{
    private SafeFileHandle? _handle;

    /// <summary>The file's text now, in <paramref name="chars"/>; empty when it cannot be read (gone, or no rights).</summary>
    public ReadOnlySpan<char> Read(byte[] bytes, char[] chars)
    {
        try
        {
            _handle ??= File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            var length = RandomAccess.Read(_handle, bytes, 0);
            return chars.AsSpan(0, Encoding.Latin1.GetChars(bytes.AsSpan(0, length), chars));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Close();
            return [];
        }
        finally
        {
            if (!keepOpen)
            {
                Close();
            }
        }
    }

    public void Dispose() => Close();

    private void Close()
    {
        _handle?.Dispose();
        _handle = null;
    }
}
