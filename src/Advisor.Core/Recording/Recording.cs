namespace Advisor.Core.Recording;

/// <summary>A recording read back: its metadata, the introspection answers and analysis, and its events' file.</summary>
public sealed record Recording(RecordingMetadata Metadata, IReadOnlyList<IntrospectionAnswer> Answers, RecordedAnalysis Analysis, long Events);
