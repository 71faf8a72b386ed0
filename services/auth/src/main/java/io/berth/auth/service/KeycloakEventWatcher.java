package io.berth.auth.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.auth.config.AuthConfig;
import io.berth.auth.events.RevocationPublisher;
import io.berth.security.credentials.RevocationListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads Keycloak's admin events every {@code berth.auth.credentials.keycloak-events-poll} and
 * announces ({@link RevocationPublisher}) every user that was changed there: disabled, deleted,
 * given a new password, moved between groups or roles. A change to a group or role announces
 * all people ({@value RevocationListener#ALL_USERS}). So a user disabled in Keycloak loses
 * cached access on every replica within about one poll (docs/adr/0020).
 *
 * <p>While the events cannot be read (Keycloak down, admin events off in the realm, the service
 * account without {@code view-events}), {@link #watching} is false, so auth serves no person
 * from its cache, and each failed poll announces all people, so registry-api forgets them too.
 * Robots do not depend on Keycloak and stay cached. Every auth replica polls; the
 * announcements are idempotent.
 */
@ApplicationScoped
public class KeycloakEventWatcher {

    private static final Logger LOG = Logger.getLogger(KeycloakEventWatcher.class);
    private static final int PAGE = 200;
    /** How often the realm's event settings are read again. */
    private static final Duration CONFIG_EVERY = Duration.ofSeconds(30);

    private final KeycloakUsers keycloak;
    private final RevocationPublisher publisher;
    private final Duration poll;
    private ScheduledExecutorService timer;
    private long fromMillis = System.currentTimeMillis() - Duration.ofMinutes(1).toMillis();
    private Set<String> seenAtFrom = new HashSet<>();
    private long configCheckedAt;
    private boolean enabled;
    private volatile long watchedAtNanos;
    private volatile boolean watchedEver;
    private boolean warned;

    public KeycloakEventWatcher(KeycloakUsers keycloak, RevocationPublisher publisher, AuthConfig config) {
        this.keycloak = keycloak;
        this.publisher = publisher;
        this.poll = config.credentials().keycloakEventsPoll();
    }

    void start(@Observes StartupEvent start) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-keycloak-events");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollOnce, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Whether the last poll succeeded recently, so that a disabled user would be noticed. */
    public boolean watching() {
        return watchedEver && System.nanoTime() - watchedAtNanos < poll.multipliedBy(3).toNanos();
    }

    /** One poll; public for tests that cannot wait for the timer. */
    public synchronized void pollOnce() {
        try {
            long now = System.currentTimeMillis();
            if (!enabled || now - configCheckedAt > CONFIG_EVERY.toMillis()) {
                enabled = keycloak.adminEventsEnabled();
                configCheckedAt = now;
            }
            if (!enabled) {
                throw new IllegalStateException("admin events are off in the realm (adminEventsEnabled)");
            }
            JsonNode events;
            long before;
            do {
                before = fromMillis;
                events = keycloak.adminEvents(fromMillis, PAGE);
                for (JsonNode event : events) {
                    handle(event);
                }
                // A full page that did not move on (more than a page in one millisecond) ends it.
            } while (events.size() == PAGE && fromMillis != before);
            watchedAtNanos = System.nanoTime();
            watchedEver = true;
            if (warned) {
                LOG.info("reading Keycloak's admin events again; people are cached again");
                warned = false;
            }
        } catch (RuntimeException e) {
            if (!warned) {
                LOG.warnf("cannot read Keycloak's admin events (%s): people are checked at every login, not cached, "
                        + "until it works", e.getMessage());
                warned = true;
            }
            try {
                publisher.revoked(RevocationListener.ALL_USERS);
            } catch (RuntimeException again) {
                LOG.debugf("could not announce all people: %s", again.getMessage());
            }
        }
    }

    private void handle(JsonNode event) {
        long time = event.path("time").asLong();
        String path = event.path("resourcePath").asText("");
        String id = event.path("id").asText(time + " " + event.path("operationType").asText() + " " + path);
        if (time < fromMillis || (time == fromMillis && seenAtFrom.contains(id))) {
            return;
        }
        if (time > fromMillis) {
            fromMillis = time;
            seenAtFrom = new HashSet<>();
        }
        seenAtFrom.add(id);
        affected(path, event.path("resourceType").asText("")).ifPresent(publisher::revoked);
    }

    /** Whom an event at {@code path} concerns: a username, all people, or no one. */
    private Optional<String> affected(String path, String type) {
        String[] parts = path.split("/");
        if (parts.length >= 2 && parts[0].equals("users")) {
            // A deleted user has no name left to look up: forget all people rather than guess.
            return Optional.of(keycloak.usernameOf(parts[1]).orElse(RevocationListener.ALL_USERS));
        }
        if (parts[0].equals("groups") || parts[0].equals("roles") || parts[0].equals("roles-by-id")
                || type.endsWith("ROLE_MAPPING") || type.equals("GROUP_MEMBERSHIP")) {
            return Optional.of(RevocationListener.ALL_USERS);
        }
        return Optional.empty();
    }
}
