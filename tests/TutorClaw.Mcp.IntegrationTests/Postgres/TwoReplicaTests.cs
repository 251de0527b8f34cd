using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.TestSupport;
using Xunit.Abstractions;

namespace TutorClaw.Mcp.IntegrationTests.Postgres;

/// <summary>
/// Two server processes (the built binary, each on its own loopback port) on one real PostgreSQL
/// database, as two replicas behind a load balancer: Stripe delivering the same event to both at
/// once, a refund and its payment split between them, one replica killed with SIGKILL mid-load,
/// and the database itself restarted mid-load. Every payment is applied exactly once, nothing
/// acknowledged is lost, and a 5xx happens only while the database is down.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoReplicaTests(PostgresServer server, ITestOutputHelper output)
{
    private const string WebhookSecret = "whsec_fake_two_replicas_not_a_real_secret_0";
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_thousand_payments_each_delivered_to_both_replicas_at_once_are_each_applied_exactly_once()
    {
        const int learnerCount = 2000;
        var db = await SeededDatabaseAsync("both", learnerCount);
        var payments = Payments("both", learnerCount);
        await using var replicas = await Replicas.StartAsync(db);
        // Each payment's two deliveries are neighbours in the work list, so 64 workers taking it in
        // order send them to the two replicas at the same moment.
        var work = payments.SelectMany((p, i) => i % 2 == 0 ? new[] { (p, 0), (p, 1) } : [(p, 1), (p, 0)]).ToArray();
        var replies = new ConcurrentBag<(string EventId, int Replica, Reply Reply)>();
        using var budget = new CancellationTokenSource(Budget);

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = budget.Token }, async (item, _) =>
        {
            var (payment, replica) = item;
            replies.Add((payment.EventId, replica, await replicas.DeliverAsync(replica, payment.Body)));
        });
        output.WriteLine($"{replies.Count} deliveries to two replicas at 64-way concurrency in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(2 * learnerCount, replies.Count);
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Reply.Status));
        Assert.Equal(learnerCount, replies.Count(r => r.Reply.Applied));
        Assert.Equal(learnerCount, replies.Count(r => r.Reply.Detail == "already applied"));
        Assert.All(replies.GroupBy(r => r.EventId), g => Assert.Single(g, r => r.Reply.Applied));
        // Both replicas won races: neither merely answered "already applied" for the other.
        Assert.All(new[] { 0, 1 }, replica => Assert.Contains(replies, r => r.Replica == replica && r.Reply.Applied));
        await AssertEachPaidExactlyOnceAsync(db, learnerCount);
    }

    [Fact]
    public async Task A_refund_and_its_payment_split_between_the_replicas_end_free_in_either_order()
    {
        const int learnerCount = 24;
        var db = await SeededDatabaseAsync("split", learnerCount);
        await using var replicas = await Replicas.StartAsync(db);

        await Parallel.ForEachAsync(Enumerable.Range(0, learnerCount), async (i, _) =>
        {
            var payment = StripeEvents.Paid("split", i);
            var refund = Refund(payment, i);
            var replies = (i % 4) switch
            {
                // At the same moment: the refund to A while its completed goes to B, and the other way round.
                0 => await Task.WhenAll(replicas.DeliverAsync(0, refund), replicas.DeliverAsync(1, payment.Body)),
                1 => await Task.WhenAll(replicas.DeliverAsync(0, payment.Body), replicas.DeliverAsync(1, refund)),
                // One after the other: the refund first (to A), or the payment first (to A).
                2 => [await replicas.DeliverAsync(0, refund), await replicas.DeliverAsync(1, payment.Body)],
                _ => [await replicas.DeliverAsync(0, payment.Body), await replicas.DeliverAsync(1, refund)],
            };
            Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        });

        await using var database = db.Open();
        var learners = new PostgresLearnerRepository(database, TimeProvider.System);
        for (var i = 0; i < learnerCount; i++)
        {
            var learner = (await learners.FindAsync(LearnerId.Parse(StripeEvents.Paid("split", i).LearnerId), default))!;
            Assert.Equal(Tier.Free, learner.Tier);
            Assert.Equal(CheckoutStatus.Refunded, Assert.Single(learner.Checkouts).Status);
            Assert.Equal(2, learner.AppliedEventIds.Count);
        }
    }

    [Fact]
    public async Task Killing_one_replica_mid_load_then_redelivering_what_it_did_not_acknowledge_loses_and_doubles_nothing()
    {
        const int learnerCount = 800;
        var db = await SeededDatabaseAsync("kill", learnerCount);
        var payments = Payments("kill", learnerCount);
        await using var replicas = await Replicas.StartAsync(db);
        var acknowledged = new ConcurrentDictionary<string, PaidCheckout>(StringComparer.Ordinal);
        var killAfter = new Random().Next(100, 300);
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cutOff = 0;
        var queue = new ConcurrentQueue<(PaidCheckout Payment, int Replica)>(payments.Select((p, i) => (p, i % 2)));

        async Task SendLoopAsync()
        {
            while (queue.TryDequeue(out var item))
            {
                try
                {
                    var reply = await replicas.DeliverAsync(item.Replica, item.Payment.Body);
                    Assert.Equal(HttpStatusCode.OK, reply.Status);
                    acknowledged[item.Payment.EventId] = item.Payment;
                    if (acknowledged.Count >= killAfter)
                    {
                        killNow.TrySetResult();
                    }
                }
                catch (HttpRequestException) when (item.Replica == 0)
                {
                    // Replica A died with this delivery in flight, or before it: not acknowledged, so Stripe retries.
                    Interlocked.Increment(ref cutOff);
                }
            }
        }

        var senders = Enumerable.Range(0, 32).Select(_ => Task.Run(SendLoopAsync)).ToArray();
        await killNow.Task.WaitAsync(Budget);
        await replicas.KillAsync(0);
        await Task.WhenAll(senders).WaitAsync(Budget);
        output.WriteLine($"killed replica A after {killAfter} acknowledgements; {acknowledged.Count} acknowledged in all, {cutOff} cut off");
        Assert.True(cutOff > 0, "Nothing was cut off: the kill came after the load.");

        // Stripe redelivers what got no 200, to whichever replica the balancer picks (B, or A
        // started again); and a redelivery of an acknowledged event changes nothing.
        await replicas.RestartAsync(0);
        var redeliveries = payments.Where(p => !acknowledged.ContainsKey(p.EventId))
            .Concat(payments.Where(p => acknowledged.ContainsKey(p.EventId)).Where((_, i) => i % 10 == 0))
            .ToList();
        var storedButNotAcknowledged = 0;
        foreach (var (payment, i) in redeliveries.Select((p, i) => (p, i)))
        {
            var reply = await replicas.DeliverAsync(i % 2, payment.Body);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            if (acknowledged.ContainsKey(payment.EventId))
            {
                Assert.Equal("already applied", reply.Detail);
            }
            else if (!reply.Applied)
            {
                storedButNotAcknowledged++;
            }
        }
        output.WriteLine($"{redeliveries.Count} redelivered; {storedButNotAcknowledged} had been stored by A but never acknowledged");

        await AssertEachPaidExactlyOnceAsync(db, learnerCount);
    }

    [Fact]
    public async Task The_database_restarted_mid_load_gives_5xx_only_during_the_outage_and_every_payment_is_applied_once_after_redelivery()
    {
        const int learnerCount = 800;
        var db = await SeededDatabaseAsync("outage", learnerCount);
        var payments = Payments("outage", learnerCount);
        await using var replicas = await Replicas.StartAsync(db);
        var acknowledged = new ConcurrentDictionary<string, PaidCheckout>(StringComparer.Ordinal);
        var replies = new ConcurrentBag<(int SentIn, int AnsweredIn, HttpStatusCode Status)>();
        // 0: the database is up; 1: it is being stopped, is down or is coming back; 2: both replicas said so on /health again.
        var phase = 0;
        var stopAfter = new Random().Next(100, 300);
        var stopNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first half is sent at once; the second only once the database is down, so the load
        // runs through the outage whenever the first half ends.
        var queue = new ConcurrentQueue<(PaidCheckout Payment, int Replica)>(payments.Take(learnerCount / 2).Select((p, i) => (p, i % 2)));
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task SendLoopAsync()
        {
            while (true)
            {
                if (!queue.TryDequeue(out var item))
                {
                    if (down.Task.IsCompleted)
                    {
                        return;
                    }
                    await down.Task;
                    continue;
                }
                var sentIn = Volatile.Read(ref phase);
                var reply = await replicas.DeliverAsync(item.Replica, item.Payment.Body);
                replies.Add((sentIn, Volatile.Read(ref phase), reply.Status));
                if (reply.Status == HttpStatusCode.OK)
                {
                    acknowledged[item.Payment.EventId] = item.Payment;
                    if (acknowledged.Count >= stopAfter)
                    {
                        stopNow.TrySetResult();
                    }
                }
                else
                {
                    // Not acknowledged: Stripe backs off and redelivers, here once the database is back (to the other replica).
                    queue.Enqueue((item.Payment, 1 - item.Replica));
                    await backAgain.Task;
                }
            }
        }

        var senders = Enumerable.Range(0, 32).Select(_ => Task.Run(SendLoopAsync)).ToArray();
        await stopNow.Task.WaitAsync(Budget);
        Volatile.Write(ref phase, 1);
        await Task.Run(server.Stop);
        foreach (var (payment, i) in payments.Skip(learnerCount / 2).Select((p, i) => (p, i)))
        {
            queue.Enqueue((payment, i % 2));
        }
        down.SetResult();
        await replicas.WaitForHealthAsync(HttpStatusCode.ServiceUnavailable);
        await Task.Run(server.Start);
        // The replicas reconnect by themselves: nothing is restarted but the database.
        await replicas.WaitForHealthAsync(HttpStatusCode.OK);
        Volatile.Write(ref phase, 2);
        backAgain.SetResult();
        await Task.WhenAll(senders).WaitAsync(Budget);
        var failures = replies.Where(r => r.Status != HttpStatusCode.OK).ToList();
        output.WriteLine($"database stopped after {stopAfter} acknowledgements; {replies.Count} deliveries, {failures.Count} failed, " +
            $"{replies.Count(r => r.SentIn == 2)} sent after both replicas were healthy again");

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal(HttpStatusCode.InternalServerError, f.Status));
        // A failure was answered after the stop began, to a delivery sent before both replicas were healthy again.
        Assert.All(failures, f => Assert.True(f.AnsweredIn >= 1 && f.SentIn <= 1, $"a 500 sent in phase {f.SentIn}, answered in {f.AnsweredIn}"));
        Assert.Contains(replies, r => r.SentIn == 2 && r.Status == HttpStatusCode.OK);
        Assert.Equal(learnerCount, acknowledged.Count);
        await AssertEachPaidExactlyOnceAsync(db, learnerCount);
    }

    private static PaidCheckout[] Payments(string tag, int count) =>
        Enumerable.Range(0, count).Select(i => StripeEvents.Paid(tag, i)).ToArray();

    /// <summary>A migrated database holding a free learner for each of <c>Paid(tag, 0…count-1)</c>.</summary>
    private async Task<PostgresTestDatabase> SeededDatabaseAsync(string tag, int count)
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        Assert.IsType<SchemaMigrationResult.UpToDate>(await PostgresTestDatabase.Migrator(database).MigrateAsync(default));
        var learners = new PostgresLearnerRepository(database, TimeProvider.System);
        await Parallel.ForEachAsync(Payments(tag, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (payment, ct) =>
            Assert.True(await learners.TryCreateAsync(
                Learner.CreateFree(LearnerId.Parse(payment.LearnerId), "Replica " + payment.LearnerId, DateTimeOffset.UtcNow), ct)));
        return db;
    }

    /// <summary>Every learner paid, by exactly its own event, recorded once.</summary>
    private static async Task AssertEachPaidExactlyOnceAsync(PostgresTestDatabase db, int learnerCount)
    {
        Assert.Equal(learnerCount, await db.ScalarAsync<long>("SELECT count(*) FROM learners WHERE tier = 'paid'"));
        Assert.Equal(learnerCount, await db.ScalarAsync<long>("SELECT count(*) FROM applied_events"));
        // Learner lrn_<tag>_<n> is paid by evt_<tag>_<n>, and by nothing else.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM learners WHERE document->'applied_event_ids' <> jsonb_build_array('evt_' || substr(learner_id, 5))"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM applied_events WHERE learner_id IS DISTINCT FROM 'lrn_' || substr(event_id, 5)"));
    }

    /// <summary>A full refund of <paramref name="payment"/>'s charge, naming the learner as Stripe copies the metadata.</summary>
    private static byte[] Refund(PaidCheckout payment, int n)
    {
        var root = JsonNode.Parse(SharedStripeData.ReadBytes("events/charge.refunded.json"))!.AsObject();
        root["id"] = $"evt_refund_split_{n:D6}";
        var charge = root["data"]!["object"]!.AsObject();
        charge["id"] = $"ch_split_{n:D6}";
        charge["payment_intent"] = "pi_" + payment.EventId["evt_".Length..];
        charge["metadata"] = new JsonObject { ["learner_id"] = payment.LearnerId };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private sealed record Reply(HttpStatusCode Status, string Detail)
    {
        public bool Applied => Status == HttpStatusCode.OK && Detail.StartsWith("applied", StringComparison.Ordinal);
    }

    /// <summary>Replica A (0) and replica B (1): the built server twice, on one database.</summary>
    private sealed class Replicas : IAsyncDisposable
    {
        private readonly Dictionary<string, string> _settings;
        private readonly ServerProcess?[] _servers = new ServerProcess?[2];
        private readonly HttpClient?[] _clients = new HttpClient?[2];

        private Replicas(PostgresTestDatabase db) =>
            _settings = new Dictionary<string, string>
            {
                ["TUTORCLAW_DATABASE_URL"] = db.ConnectionString,
                ["STRIPE_WEBHOOK_SECRET"] = WebhookSecret,
            };

        public static async Task<Replicas> StartAsync(PostgresTestDatabase db)
        {
            var replicas = new Replicas(db);
            try
            {
                await Task.WhenAll(replicas.RestartAsync(0), replicas.RestartAsync(1));
                return replicas;
            }
            catch
            {
                await replicas.DisposeAsync();
                throw;
            }
        }

        public async Task RestartAsync(int replica)
        {
            await StopAsync(replica);
            var server = await ServerProcess.StartAsync(_settings);
            _servers[replica] = server;
            _clients[replica] = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        }

        /// <summary>SIGKILL, as a crash or the OOM killer would.</summary>
        public Task KillAsync(int replica) => _servers[replica]!.KillAsync();

        /// <summary>A signed delivery of <paramref name="body"/> to <c>/webhook</c> of one replica.</summary>
        public async Task<Reply> DeliverAsync(int replica, byte[] body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(
                "Stripe-Signature", StripeSignatureHeader.Sign(WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
            using var response = await _clients[replica]!.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            try
            {
                using var json = JsonDocument.Parse(text);
                return new Reply(response.StatusCode, json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : text);
            }
            catch (JsonException)
            {
                return new Reply(response.StatusCode, text);
            }
        }

        /// <summary>Asks each replica's /health until it answers <paramref name="status"/> (bounded by the budget).</summary>
        public async Task WaitForHealthAsync(HttpStatusCode status)
        {
            using var budget = new CancellationTokenSource(Budget);
            foreach (var client in _clients)
            {
                while (true)
                {
                    using var health = await client!.GetAsync("/health", budget.Token);
                    if (health.StatusCode == status)
                    {
                        break;
                    }
                    await Task.Yield();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync(0);
            await StopAsync(1);
        }

        private async Task StopAsync(int replica)
        {
            _clients[replica]?.Dispose();
            _clients[replica] = null;
            if (_servers[replica] is { } server)
            {
                _servers[replica] = null;
                await server.DisposeAsync();
            }
        }
    }
}
