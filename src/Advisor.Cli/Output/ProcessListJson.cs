using System.Text.Encodings.Web;
using System.Text.Json;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.Output;

/// <summary><c>ps --format json</c>: <c>{"processes": [{pid, name, appName, runtimeVersion?, commandLine}]}</c>.</summary>
internal static class ProcessListJson
{
    public static void Write(IReadOnlyList<DotNetProcess> processes, Stream stream)
    {
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("processes");
            foreach (var process in processes)
            {
                json.WriteStartObject();
                json.WriteNumber("pid", process.Pid);
                json.WriteString("name", process.Name);
                json.WriteString("appName", process.AppName);
                if (process.RuntimeVersion is { } version)
                {
                    json.WriteString("runtimeVersion", version);
                }

                json.WriteString("commandLine", process.CommandLine);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }
}
