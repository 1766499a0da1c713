namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>A method whose code a ReadyToRun image holds, named as the runtime's method events would name it.</summary>
/// <param name="Name">The display name, <c>Namespace.Type.Method</c> (see <see cref="MethodNames.Display"/>).</param>
/// <param name="IsFramework">Part of .NET itself by its type's name (see <see cref="MethodNames.IsFramework"/>).</param>
public readonly record struct PrecompiledMethod(string Name, bool IsFramework);
