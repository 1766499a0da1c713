namespace Advisor.Core.Monitoring;

/// <summary>The limiter's answer.</summary>
/// <param name="Refusal">Why not, when it is to be said; null when granted or said already.</param>
public sealed record CollectionPermit(bool Granted, string? Refusal);
