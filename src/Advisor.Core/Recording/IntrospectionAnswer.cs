using System.Text.Json.Serialization;

namespace Advisor.Core.Recording;

/// <summary>One question the aggregation asked /proc while recording, with the answer it got.</summary>
/// <param name="Key">The fd, or the tid.</param>
/// <param name="Text">The description or the name; null when /proc had none.</param>
/// <param name="Number">The open flags; null when unknown.</param>
/// <param name="Observer">
/// On a description: the fd is the observer's (<see cref="Targets.ITargetIntrospector.IsObserverFd"/>). Written only
/// when true, so recordings without it read as before and older readers skip it.
/// </param>
public sealed record IntrospectionAnswer(
    [property: JsonConverter(typeof(IntrospectionQuestionLetter))] IntrospectionQuestion Kind,
    int Pid,
    int Key,
    string? Text,
    int? Number,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Observer = false);
