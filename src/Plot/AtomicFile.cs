using System.Text;

namespace Framework.Plot;

/// <summary>Whole-file writes that never leave a half-written target: write a temporary file beside it, then rename.</summary>
internal static class AtomicFile
{
    /// <summary>Writes text (UTF-8, no BOM) to path through a temporary file in the same directory.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, tmp => File.WriteAllText(tmp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));

    /// <summary>Writes bytes to path through a temporary file in the same directory.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));

    /// <summary>Runs write on a fresh temporary path beside path, then renames it over path; on failure deletes the temporary file and rethrows.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
