using Advisor.Core.Rules.Expressions;

namespace Advisor.Core.Rules;

/// <summary>How a rule decides over a recording's aggregates: the YAML's <c>when</c>, <c>avoidableCalls</c> and <c>message</c>.</summary>
/// <param name="When">The condition a group must meet to become a finding.</param>
/// <param name="AvoidableCalls">How many of the group's calls a fix would remove.</param>
/// <param name="Message">The finding's one line, filled from the group's metrics and labels.</param>
public sealed record RuleCondition(RuleExpression When, RuleExpression AvoidableCalls, MessageTemplate Message);
