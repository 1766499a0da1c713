namespace Advisor.Core.Aggregation;

/// <summary>
/// One socket seen as a conversation: its exchanges (a run of sends, then the first receive that brings the
/// answer), the bytes each way, and how long the sender waited for each answer. Kept per fd slot, whichever
/// threads do the I/O: a synchronous client sends and receives on the caller's thread, an async one
/// (StackExchange.Redis, Npgsql's async path, HttpClient) receives on the socket engine's or the pool's.
/// </summary>
/// <remarks>
/// Which side asks is told apart later (<see cref="ConversationSide"/>): a server's socket alternates just the
/// same, answering instead of asking. Updated on the aggregation's hot path: plain fields, no allocation.
/// </remarks>
public struct SocketConversation
{
    /// <summary>This process called connect on the socket: it is the client.</summary>
    public bool Connected;

    /// <summary>accept returned the socket: this process is the server.</summary>
    public bool Accepted;

    /// <summary>A send is waiting for its answer.</summary>
    public bool Awaiting;

    /// <summary>Answered exchanges: runs of sends whose answer was received.</summary>
    public long Exchanges;

    /// <summary>Sends made while an answer was still awaited: requests pipelined behind another.</summary>
    public long PipelinedSends;

    public long Sends;
    public long SendBytes;
    public long Receives;
    public long ReceiveBytes;

    /// <summary>Σ over exchanges of the time from the end of the last send to the end of the answer's first receive.</summary>
    public long WaitNs;

    public long MaxWaitNs;

    /// <summary>
    /// futex and sched_yield calls the sending thread made while its answer was awaited: the runtime spinning
    /// and parking the waiter, a cost of the round trip beyond the socket's own calls. (A library that sends on
    /// its own thread parks the caller elsewhere: those waits are not counted here.)
    /// </summary>
    public long SpinCalls;

    /// <summary>Time in sched_yield among those (a futex wait is the waiting itself, already in <see cref="WaitNs"/>).</summary>
    public long SpinNs;

    /// <summary>The first and last call on the socket (monotonic ns): the span its exchanges took.</summary>
    public long FirstNs;

    public long LastNs;

    /// <summary>The thread whose send awaits its answer.</summary>
    public int SenderTid;

    private long _lastSendEndNs;
    private long _spinCallsAtSend;
    private long _spinNsAtSend;

    /// <summary>
    /// A successful send that starts an exchange; <paramref name="spinCalls"/>/<paramref name="spinNs"/> are the
    /// sending thread's running totals.
    /// </summary>
    public void OnSend(long startNs, long endNs, long bytes, int tid, long spinCalls, long spinNs)
    {
        Touch(startNs, endNs);
        Sends++;
        SendBytes += bytes;
        Awaiting = true;
        SenderTid = tid;
        _spinCallsAtSend = spinCalls;
        _spinNsAtSend = spinNs;
        _lastSendEndNs = endNs;
    }

    /// <summary>A send while the answer to an earlier one is awaited: more of the request, or one pipelined behind it.</summary>
    public void OnPipelinedSend(long startNs, long endNs, long bytes)
    {
        Touch(startNs, endNs);
        Sends++;
        SendBytes += bytes;
        PipelinedSends++;
        _lastSendEndNs = endNs;
    }

    /// <summary>
    /// A receive that returned data (an empty one is the peer closing, failed ones would block); the running
    /// totals are the sender's, while its answer is awaited.
    /// </summary>
    public void OnReceive(long startNs, long endNs, long bytes, long spinCalls, long spinNs)
    {
        Touch(startNs, endNs);
        Receives++;
        ReceiveBytes += bytes;
        if (!Awaiting)
        {
            return;
        }

        Awaiting = false;
        Exchanges++;
        var wait = Math.Max(0, endNs - _lastSendEndNs);
        WaitNs += wait;
        MaxWaitNs = Math.Max(MaxWaitNs, wait);
        SpinCalls += spinCalls - _spinCallsAtSend;
        SpinNs += spinNs - _spinNsAtSend;
    }

    private void Touch(long startNs, long endNs)
    {
        if (FirstNs == 0)
        {
            FirstNs = startNs;
        }

        LastNs = Math.Max(LastNs, endNs);
    }
}
