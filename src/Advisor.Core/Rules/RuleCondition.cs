using Advisor.Core.Rules.Expressions;

namespace Advisor.Core.Rules;

/// <summary>How a rule decides over a recording's aggregates: the YAML's <c>when</c>, <c>avoidableCalls</c> and <c>message</c>.</summary>
/// <param name="When">The condition a group must meet to become a finding.</param>
/// <param name="AvoidableCalls">How many of the group's calls a fix would remove.</param>
/// <param name="Message">The finding's one line, filled from the group's metrics and labels.</param>
public sealed record RuleCondition(RuleExpression When, RuleExpression AvoidableCalls, MessageTemplate Message)
{
    /// <summary>
    /// The waiting a fix gives back, ms, where it is not the avoidable calls' share of their blocked time: a
    /// round trip's wait lies between calls (from the send to the answer), not inside one. Null: that share.
    /// </summary>
    public RuleExpression? AvoidableWaitMs { get; init; }

    /// <summary>
    /// CPU time a fix saves beyond the avoidable calls' own, ms (the runtime's spinning while it waited for an
    /// answer). Null: none.
    /// </summary>
    public RuleExpression? AvoidableWorkMs { get; init; }
}
