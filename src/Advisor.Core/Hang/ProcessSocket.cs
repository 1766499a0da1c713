namespace Advisor.Core.Hang;

/// <summary>
/// A socket the stalled process holds, as /proc shows it when the triage looks: the candidates for the
/// connection a thread waits on when its stack does not say which.
/// </summary>
/// <param name="Description">As fds are described elsewhere: "tcp 127.0.0.1:41234 → 127.0.0.1:5432", "unix socket".</param>
/// <param name="Listening">A listening socket: its local port is the process's as a server.</param>
/// <param name="UnreadBytes">Data received and not read yet (the receive queue): an answer that has come.</param>
public sealed record ProcessSocket(int Fd, string Description, bool Listening, long UnreadBytes);
