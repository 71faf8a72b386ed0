package io.berth.events.relay;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Publishes the rows of the {@code outbox} table to Kafka, at least once, in commit order per
 * key (docs/adr/0017-outbox-relay.md):
 * <ul>
 *   <li>every row falls in one of {@value #SLOTS} slots by its key; the relay holds slots through
 *       session-level advisory locks on a connection of its own, and publishes only their rows,
 *       in id order. Several relays (every replica of every service that writes outbox rows
 *       runs one) share the slots, never a slot, so one key's events never race each other;
 *   <li>the slots are spread over the live relays: each keeps a heartbeat row in
 *       {@code outbox_relays} and holds at most {@code ceil(16 / live relays)} slots, letting
 *       the rest go for the others. A relay that stops deletes its row and unlocks its slots;
 *       one that crashes loses its session, and with it its locks and its liveness, so the
 *       others take its slots over at their next rebalance ({@link Settings#heartbeat}). One
 *       that hangs with its session open (a frozen process, a network partition) is dead once
 *       its heartbeat is older than {@link Settings#stale}: the next relay to rebalance ends
 *       its session ({@code pg_terminate_backend}), which frees its locks. Every relay must
 *       therefore connect as the same database role (or one granted {@code pg_read_all_stats}
 *       and {@code pg_signal_backend});
 *   <li>a row is marked published only after Kafka acknowledged it. A relay that dies between the
 *       two sends the row again when a relay next holds its slot: consumers are idempotent by
 *       event id;
 *   <li>it wakes on {@code NOTIFY berth_outbox} (sent when rows commit) and polls as a fallback,
 *       so an event leaves within milliseconds of its commit;
 *   <li>while Kafka cannot be reached, rows wait in the table and nothing is lost.
 * </ul>
 */
public final class OutboxRelay implements AutoCloseable {

    /** How many slots the keys are spread over (the migration's {@code & 15}). */
    public static final int SLOTS = 16;

    /** pg_advisory_lock namespace of the relay's slot locks: "berthrly" in ASCII. */
    private static final int LOCK_NAMESPACE = 0x62726c79;

    /** Where events go; the Kafka implementation is {@link KafkaSink}. */
    public interface Sink extends AutoCloseable {
        /** Sends one event; completes when the broker has it. */
        CompletableFuture<Void> send(String topic, String key, String eventId, String value);

        @Override
        void close();
    }

    /**
     * How the relay runs.
     *
     * @param batch rows read and sent per round
     * @param poll the longest wait for a notification before looking anyway
     * @param sendTimeout how long a round waits for Kafka's acknowledgements
     * @param retryAfter the pause after a failed round (Kafka or PostgreSQL unreachable)
     * @param heartbeat how often the relay writes its heartbeat and rebalances the slots: the
     *     longest a slot freed by a stopped or crashed relay waits for another
     * @param stale how old a heartbeat may be before its relay counts as dead and its session is
     *     ended; longer than {@code sendTimeout}, as a round waiting for Kafka writes none
     */
    public record Settings(int batch, Duration poll, Duration sendTimeout, Duration retryAfter, Duration heartbeat,
            Duration stale) {
        public static final Settings DEFAULT = new Settings(500, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(2));

        public Settings {
            if (stale.compareTo(sendTimeout.plus(heartbeat)) <= 0) {
                throw new IllegalArgumentException("stale (" + stale + ") must be longer than send-timeout ("
                        + sendTimeout + ") plus heartbeat (" + heartbeat + "): a relay waiting for Kafka would be"
                        + " taken for dead");
            }
        }

        /** Heartbeats every second, dead after {@code sendTimeout} plus 15 s. */
        public Settings(int batch, Duration poll, Duration sendTimeout, Duration retryAfter) {
            this(batch, poll, sendTimeout, retryAfter, Duration.ofSeconds(1), sendTimeout.plusSeconds(15));
        }
    }

    /** How far behind the relays are: rows not yet published, and the age of the oldest. */
    public record Backlog(long rows, Duration oldest) {}

    private record Row(long id, String topic, String key, String eventId, String payload, Instant createdAt) {}

    private final DataSource db;
    private final Sink sink;
    private final Settings settings;
    private final String service;
    private final UUID id = UUID.randomUUID();
    private final TreeSet<Integer> held = new TreeSet<>();
    private Connection connection;
    /** When the next heartbeat and rebalance are due ({@link System#nanoTime}); 0: at once. */
    private long rebalanceAt;
    private volatile int live;
    /** {@link #held} as of the last change, readable without waiting for a round (metrics). */
    private volatile List<Integer> slots = List.of();
    private volatile Consumer<Duration> latency = d -> { };
    private volatile boolean running;
    private Thread thread;

    /** A relay over {@code db}'s outbox into {@code sink}, which it owns: {@link #close} closes it. */
    public OutboxRelay(DataSource db, Sink sink, Settings settings) {
        this(db, sink, settings, "berth");
    }

    /**
     * As {@link #OutboxRelay(DataSource, Sink, Settings)}, naming the service that runs it in
     * its {@code outbox_relays} row.
     */
    public OutboxRelay(DataSource db, Sink sink, Settings settings, String service) {
        this.db = db;
        this.sink = sink;
        this.settings = settings;
        this.service = service;
    }

    /** This relay's id, the key of its {@code outbox_relays} row. */
    public UUID id() {
        return id;
    }

    /**
     * Tells {@code listener}, for every row Kafka acknowledges, how long it took from the row's
     * insert (its transaction's start, so a little before its commit) to the acknowledgement.
     */
    public void onPublished(Consumer<Duration> listener) {
        this.latency = listener;
    }

    /** Starts relaying on a thread of its own until {@link #close}. */
    public synchronized void start(String name) {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                int sent = relayOnce();
                if (sent == 0) {
                    awaitNotification();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                System.getLogger(OutboxRelay.class.getName()).log(System.Logger.Level.WARNING,
                        "relaying the outbox failed, trying again in " + settings.retryAfter() + ": " + e.getMessage());
                dropConnection();
                sleep(settings.retryAfter());
            }
        }
    }

    /**
     * One round: takes the free slots it can, reads their oldest unpublished rows, sends them and
     * marks those Kafka acknowledged.
     *
     * @return how many rows were published
     */
    public synchronized int relayOnce() throws SQLException {
        Connection c = connection();
        if (System.nanoTime() - rebalanceAt >= 0) {
            rebalance(c);
            slots = List.copyOf(held);
            rebalanceAt = System.nanoTime() + settings.heartbeat().toNanos();
        }
        if (held.isEmpty()) {
            return 0;
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, topic, event_key, event_id::text, payload::text, created_at FROM outbox
                WHERE published_at IS NULL AND slot = ANY (?) ORDER BY id LIMIT ?""")) {
            Array slots = c.createArrayOf("int2", held.toArray());
            ps.setArray(1, slots);
            ps.setInt(2, settings.batch());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>(rows.size());
        for (Row r : rows) {
            CompletableFuture<Void> sent = sink.send(r.topic(), r.key(), r.eventId(), r.payload());
            sends.add(sent);
            if (sent.isCompletedExceptionally()) {
                // Refused at once (Kafka unreachable): the rest of the batch would wait as long
                // each, for the same answer.
                break;
            }
        }
        // Marked: the rows up to the first one Kafka did not take. A later row of the same key is
        // never ahead of an earlier one in Kafka (the producer is idempotent and keeps order per
        // partition); a later row of another key is sent again, which is allowed.
        List<Long> acknowledged = new ArrayList<>();
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        RuntimeException failure = null;
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(rows.get(i).id());
                latency.accept(Duration.between(rows.get(i).createdAt(), Instant.now()));
            } catch (ExecutionException | TimeoutException e) {
                failure = new IllegalStateException("Kafka did not take event " + rows.get(i).eventId() + ": "
                        + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for Kafka", e);
                break;
            }
        }
        if (!acknowledged.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("int8", acknowledged.toArray()));
                ps.executeUpdate();
            }
        }
        if (failure != null) {
            throw failure;
        }
        return acknowledged.size();
    }

    /** How many relays were live at this relay's last rebalance, itself included. */
    public int liveRelays() {
        return live;
    }

    /** The slots this relay holds, as of its last rebalance. */
    public List<Integer> slots() {
        return slots;
    }

    /** Rows not yet published, and the age of the oldest of them. */
    public Backlog backlog() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
                        FROM outbox WHERE published_at IS NULL""")) {
            rs.next();
            return new Backlog(rs.getLong(1), Duration.ofMillis((long) (rs.getDouble(2) * 1000)));
        }
    }

    /** Deletes rows published longer ago than {@code keep}, at most {@code limit}; returns how many. */
    public int prune(Duration keep, int limit) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
                WHERE published_at < now() - make_interval(secs => ?) LIMIT ?)""")) {
            ps.setDouble(1, keep.toMillis() / 1000.0);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    /**
     * Writes this relay's heartbeat, ends the sessions of relays whose heartbeat is stale,
     * forgets relays whose session is gone, and then lets slots go or takes free ones until it
     * holds its share: {@code ceil(SLOTS / live relays)}.
     */
    private void rebalance(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox_relays (relay_id, service, backend_pid, backend_start, slots)
                SELECT ?, ?, pid, backend_start, ? FROM pg_stat_activity WHERE pid = pg_backend_pid()
                ON CONFLICT (relay_id) DO UPDATE SET heartbeat_at = now(), slots = excluded.slots,
                    backend_pid = excluded.backend_pid, backend_start = excluded.backend_start""")) {
            ps.setObject(1, id);
            ps.setString(2, service);
            ps.setArray(3, c.createArrayOf("int2", held.toArray()));
            ps.executeUpdate();
        }
        double stale = settings.stale().toMillis() / 1000.0;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.relay_id, pg_terminate_backend(a.pid) FROM outbox_relays r
                JOIN pg_stat_activity a ON a.pid = r.backend_pid AND a.backend_start = r.backend_start
                WHERE r.relay_id <> ? AND r.heartbeat_at < now() - make_interval(secs => ?)""")) {
            ps.setObject(1, id);
            ps.setDouble(2, stale);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    System.getLogger(OutboxRelay.class.getName()).log(System.Logger.Level.WARNING,
                            "outbox relay " + rs.getString(1) + " sent no heartbeat for " + settings.stale()
                                    + "; its session was ended and its slots go to the live relays");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM outbox_relays r WHERE r.relay_id <> ?
                AND (r.heartbeat_at < now() - make_interval(secs => ?) OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                     WHERE a.pid = r.backend_pid AND a.backend_start = r.backend_start))""")) {
            ps.setObject(1, id);
            ps.setDouble(2, stale);
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox_relays")) {
            rs.next();
            live = Math.max(1, rs.getInt(1));
        }
        int share = (SLOTS + live - 1) / live;
        try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)");
                PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            // Between rounds every row this relay sent is marked or failed the round, so a slot
            // may change hands here without two relays sending its rows at once.
            while (held.size() > share) {
                int slot = held.pollLast();
                unlock.setInt(1, LOCK_NAMESPACE);
                unlock.setInt(2, slot);
                unlock.executeQuery().close();
            }
            for (int slot = 0; slot < SLOTS && held.size() < share; slot++) {
                if (held.contains(slot)) {
                    continue;
                }
                lock.setInt(1, LOCK_NAMESPACE);
                lock.setInt(2, slot);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        held.add(slot);
                    }
                }
            }
        }
    }

    private synchronized Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            held.clear();
            slots = List.of();
            rebalanceAt = 0;
            connection = db.getConnection();
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                s.execute("LISTEN berth_outbox");
            }
        }
        return connection;
    }

    private void awaitNotification() throws SQLException {
        Connection c;
        synchronized (this) {
            c = connection();
        }
        PGNotification[] notes = c.unwrap(PGConnection.class).getNotifications((int) settings.poll().toMillis());
        if (notes == null) {
            return; // the poll timed out: look anyway, for slots another relay let go
        }
    }

    /**
     * Leaves the live relays, lets the slots go and returns the connection. A pool keeps the
     * session open, so the row, the locks and the LISTEN are released explicitly; on a broken
     * connection the server has dropped the locks already, and the others drop the row.
     */
    private synchronized void dropConnection() {
        held.clear();
        slots = List.of();
        if (connection != null) {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM outbox_relays WHERE relay_id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                // A broken session: the others see it gone and forget the row.
            }
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_all()");
                s.execute("UNLISTEN *");
            } catch (SQLException e) {
                // A broken session: its locks went with it.
            }
            try {
                connection.close();
            } catch (SQLException e) {
                // It is being dropped anyway.
            }
            connection = null;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops relaying, lets its slots go (other relays take them over) and closes its sink. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dropConnection();
        sink.close();
    }
}
