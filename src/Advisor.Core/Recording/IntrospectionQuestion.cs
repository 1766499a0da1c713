namespace Advisor.Core.Recording;

/// <summary>What the aggregation asked of /proc (<see cref="Targets.ITargetIntrospector"/>'s questions).</summary>
public enum IntrospectionQuestion
{
    DescribeFd,
    FdOpenFlags,
    ThreadName,
    PathGivenToOpen,
}
