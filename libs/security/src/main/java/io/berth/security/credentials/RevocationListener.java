package io.berth.security.credentials;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears credential revocations on PostgreSQL channel {@value #CHANNEL} and evicts them from
 * {@link CredentialCache}s. auth sends {@code pg_notify('berth_credentials', principal)} in the
 * transaction that disables, deletes or re-keys a robot or a CLI secret, and when Keycloak
 * reports a change to a user; PostgreSQL delivers it to every listening replica at commit.
 *
 * <p>One daemon thread per process holds one dedicated connection (not from the pool) and pings
 * it every {@code ping}: each answered ping {@linkplain CredentialCache#confirmed confirms} the
 * caches, because every notification committed before it has arrived with it. When the
 * connection fails (PostgreSQL restarted, network cut), the caches stop answering within their
 * live window; after reconnecting the listener {@linkplain CredentialCache#clear clears} them,
 * since it may have missed revocations meanwhile.
 *
 * <p>Payloads: a principal's name (a username or {@code robot$...}), {@value #ALL_USERS} for
 * every principal that is not a robot (a Keycloak group or role changed), or {@value #EVERYTHING}.
 */
public final class RevocationListener implements AutoCloseable {

    /** The PostgreSQL channel. */
    public static final String CHANNEL = "berth_credentials";

    /** Payload: evict everything. */
    public static final String EVERYTHING = "*";

    /** Payload: evict every person (every principal that is not a robot). */
    public static final String ALL_USERS = "*users";

    /** Opens the dedicated connection (a plain JDBC connection to the service's database). */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;

        /**
         * A plain PostgreSQL connection, outside any pool, named {@code application} in
         * {@code pg_stat_activity}; it fails fast (2 s to connect, 5 s per read) so that a lost
         * database is noticed within the listener's live window.
         */
        static Connector postgres(String jdbcUrl, String user, String password, String application) {
            return () -> {
                java.util.Properties props = new java.util.Properties();
                props.setProperty("user", user);
                props.setProperty("password", password);
                props.setProperty("connectTimeout", "2");
                props.setProperty("socketTimeout", "5");
                props.setProperty("tcpKeepAlive", "true");
                props.setProperty("ApplicationName", application);
                Connection c = new org.postgresql.Driver().connect(jdbcUrl, props);
                if (c == null) {
                    throw new SQLException("not a PostgreSQL URL: " + jdbcUrl);
                }
                return c;
            };
        }
    }

    private static final System.Logger LOG = System.getLogger(RevocationListener.class.getName());

    private final Connector connector;
    private final Duration ping;
    private final List<CredentialCache<?>> caches;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public RevocationListener(Connector connector, Duration ping, List<CredentialCache<?>> caches) {
        this.connector = connector;
        this.ping = ping;
        this.caches = List.copyOf(caches);
        this.thread = new Thread(this::run, "berth-credential-revocations");
        this.thread.setDaemon(true);
    }

    /** Starts listening in the background. */
    public RevocationListener start() {
        thread.start();
        return this;
    }

    /** Applies one payload to a cache. */
    public static void apply(String payload, CredentialCache<?> cache) {
        switch (payload) {
            case EVERYTHING -> cache.clear();
            case ALL_USERS -> cache.evictIf(p -> !p.startsWith("robot$"));
            default -> cache.evict(payload);
        }
    }

    private void run() {
        boolean warned = false;
        while (running) {
            try (Connection c = connector.open(); Statement s = c.createStatement()) {
                connection = c;
                s.execute("LISTEN " + CHANNEL);
                // Anything may have been missed while there was no listening connection.
                caches.forEach(CredentialCache::clear);
                if (warned) {
                    LOG.log(Level.INFO, "listening for credential revocations again");
                    warned = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    s.execute("SELECT 1");
                    deliver(pg.getNotifications());
                    caches.forEach(CredentialCache::confirmed);
                    deliver(pg.getNotifications((int) ping.toMillis()));
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.log(Level.WARNING, "not listening for credential revocations ({0}); cached credentials "
                            + "are not used until it listens again", e.getMessage());
                    warned = true;
                }
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private void deliver(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification n : notifications) {
            if (CHANNEL.equals(n.getName())) {
                caches.forEach(cache -> apply(n.getParameter(), cache));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening and closes the connection. */
    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // Closing anyway.
            }
        }
        thread.interrupt();
    }
}
