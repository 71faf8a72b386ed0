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
 *       in id order. Several relays (every registry-api and auth replica runs one) share the
 *       slots, never a slot, so one key's events never race each other;
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
     */
    public record Settings(int batch, Duration poll, Duration sendTimeout, Duration retryAfter) {
        public static final Settings DEFAULT = new Settings(500, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(2));
    }

    /** How far behind the relays are: rows not yet published, and the age of the oldest. */
    public record Backlog(long rows, Duration oldest) {}

    private record Row(long id, String topic, String key, String eventId, String payload, Instant createdAt) {}

    private final DataSource db;
    private final Sink sink;
    private final Settings settings;
    private final TreeSet<Integer> held = new TreeSet<>();
    private Connection connection;
    private volatile Consumer<Duration> latency = d -> { };
    private volatile boolean running;
    private Thread thread;

    /** A relay over {@code db}'s outbox into {@code sink}, which it owns: {@link #close} closes it. */
    public OutboxRelay(DataSource db, Sink sink, Settings settings) {
        this.db = db;
        this.sink = sink;
        this.settings = settings;
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
        claimSlots(c);
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

    /** The slots this relay holds now. */
    public synchronized List<Integer> slots() {
        return List.copyOf(held);
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

    private void claimSlots(Connection c) throws SQLException {
        if (held.size() == SLOTS) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            for (int slot = 0; slot < SLOTS; slot++) {
                if (held.contains(slot)) {
                    continue;
                }
                ps.setInt(1, LOCK_NAMESPACE);
                ps.setInt(2, slot);
                try (ResultSet rs = ps.executeQuery()) {
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
     * Lets the slots go and returns the connection. A pool keeps the session open, so the locks
     * and the LISTEN are released explicitly; on a broken connection the server has dropped them
     * already.
     */
    private synchronized void dropConnection() {
        held.clear();
        if (connection != null) {
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
