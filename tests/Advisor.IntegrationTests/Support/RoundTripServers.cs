namespace Advisor.IntegrationTests.Support;

/// <summary>
/// The collection of tests that talk to real servers (the round-trip samples): one PostgreSQL and one Redis for
/// all of them, each started when a test first asks for it, stopped when the collection is done.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RoundTripServers : ICollectionFixture<PostgresServer>, ICollectionFixture<RedisServer>
{
    public const string Name = "round-trip servers";
}
