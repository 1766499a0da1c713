namespace Advisor.Core.Stacks;

/// <summary>One named frame of a call stack.</summary>
/// <param name="Name">For managed frames <c>Namespace.Type.Method</c>; for native ones <c>module!symbol</c>.</param>
public sealed record StackFrame(string Name, FrameKind Kind)
{
    /// <summary>
    /// The web endpoint this method handles (<c>GET /customers/{id}/orders</c>), when the application's assembly
    /// maps it to one (a minimal API's Map call, a controller action's route attributes); null for other methods.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Route { get; init; }
}
