package io.berth.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Settings of the auth service. Defaults fit the local stack of {@code ./berth up}. */
@ConfigMapping(prefix = "berth.auth")
public interface AuthConfig {

    /** Where people's identities live. */
    Keycloak keycloak();

    /** The registry tokens auth signs. */
    Token token();

    /** Limits on failed logins (service/LoginGuard). */
    Logins logins();

    /** The audit log (events/AuditConsumer, service/AuditRetention). */
    Audit audit();

    /** Successful credential checks remembered briefly (service/CachedCredentials, ADR 0020). */
    Credentials credentials();

    /**
     * berth's own services' accounts, {@code service$<name>} by name (service/ServiceAccounts,
     * docs/security.md): {@code berth.auth.service-accounts."scanner-bridge".secret=...}.
     */
    Map<String, ServiceAccount> serviceAccounts();

    interface ServiceAccount {
        /** The account's secret; unset or empty, the account does not exist. */
        Optional<String> secret();

        /**
         * What it may do in every repository of every project: some of pull, push, delete,
         * scanner-pull; and {@code catalog}, which grants {@code registry:catalog:*} (scanner-pull
         * and catalog only with pull).
         */
        @WithDefault("pull")
        Set<String> actions();
    }

    interface Credentials {
        /**
         * How long a successful check of a password, CLI secret or robot secret is remembered.
         * Revocations reach every replica within 2 s whatever this is (ADR 0020); 0 turns the
         * cache off.
         */
        @WithDefault("PT60S")
        Duration cacheTtl();

        /** The most checks remembered per replica. */
        @WithDefault("100000")
        int cacheMaxEntries();

        /**
         * How often the revocation listener pings its PostgreSQL connection. The cache answers
         * only while the last answered ping is at most three of these old.
         */
        @WithDefault("PT0.5S")
        Duration listenerPing();

        /**
         * How often Keycloak's admin events are read, to evict users who were disabled,
         * deleted or changed there. Needs {@code adminEventsEnabled} on the realm and
         * realm-management {@code view-events} for the client's service account; without them
         * people are not served from the cache (robots still are).
         */
        @WithDefault("PT1S")
        Duration keycloakEventsPoll();
    }

    interface Audit {
        /** How long entries are kept. */
        @WithDefault("P90D")
        Duration retention();

        /** How often older entries are purged. */
        @WithDefault("PT1H")
        Duration purgeEvery();
    }

    interface Logins {
        /** Failed logins of one account within the window before further ones are refused unchecked. */
        @WithDefault("10")
        int maxFailures();

        /** Failed logins from one client address within the window before further ones are refused. */
        @WithDefault("50")
        int maxFailuresPerAddress();

        /** How long failures are counted; a refusal lasts until the window that caused it ends. */
        @WithDefault("PT5M")
        Duration window();

        /**
         * Addresses and CIDR blocks of the proxies in front of auth (the gateway, registry-api
         * exchanging Basic credentials) whose {@code X-Forwarded-For} names the client, so that
         * failures are counted per client and not per proxy. From any other peer the connection's
         * address is the client. None by default; the local stack trusts loopback.
         */
        Optional<List<String>> trustedProxies();
    }

    /** The keys registry tokens are signed with (docs/adr/0013-token-signing-keys.md). */
    Keys keys();

    interface Keys {
        /**
         * The secret the private signing keys are encrypted with in PostgreSQL: long and random,
         * the same on every auth replica, and kept out of the database (a Kubernetes secret).
         * The default only suits the local stack.
         */
        @WithDefault("berth-local-signing-key-secret")
        String secret();

        /** How long a key signs before a new one replaces it. */
        @WithDefault("P30D")
        Duration rotationPeriod();

        /**
         * How long a new key is in the JWKS before it signs. Longer than the time a verifier may
         * wait between two JWKS fetches (registry-api's {@code jwks-min-refresh}, 10 s), so that
         * every verifier holds the key before its first token arrives.
         */
        @WithDefault("PT1M")
        Duration publishAhead();
    }

    interface Keycloak {
        /** Base URL of Keycloak, without {@code /realms}. */
        @WithDefault("http://127.0.0.1:8180")
        String url();

        /** The realm that holds berth's users, groups and the {@code berth-admin} role. */
        @WithDefault("berth")
        String realm();

        /** Confidential client used for the password (direct) grant behind docker login. */
        @WithDefault("berth-auth")
        String clientId();

        /** That client's secret; the local realm file sets this value. */
        @WithDefault("berth-auth-local-secret")
        String clientSecret();

        /**
         * The {@code iss} of Keycloak's tokens: the realm's URL as browsers and scripts reach it
         * (Keycloak's frontend URL). Unset, it is {@code <url>/realms/<realm>}.
         */
        Optional<String> issuer();

        /**
         * The Keycloak clients whose access tokens ({@code azp}) the management API accepts as
         * bearer tokens: the console's and scripts'. A token Keycloak issued to any other client
         * of the realm is refused.
         */
        @WithDefault("berth-console,berth-cli")
        Set<String> apiClients();

        /** How long to wait for Keycloak before a check or login counts as failed. */
        @WithDefault("PT3S")
        Duration timeout();
    }

    interface Token {
        /** The {@code service} a registry token is for, as in the 401 challenge. */
        @WithDefault("berth")
        String service();

        /** The {@code iss} claim of the tokens auth signs. */
        @WithDefault("berth-auth")
        String issuer();

        /** How long a registry token is valid. */
        @WithDefault("PT5M")
        Duration lifetime();

        /**
         * How long a refresh token ({@code offline_token=true}) lasts. docker keeps it in place
         * of the password and logs in again when it ends.
         */
        @WithDefault("P30D")
        Duration refreshLifetime();

        /**
         * How long a signed token may be handed out again to the same subject for exactly the
         * same grants, instead of signing a new one (docs/adr/0026): a CI farm asking for the same
         * pull token thousands of times a minute costs one signature per window. The answer's
         * {@code expires_in} is what is left of the token's life, so it is never longer than
         * {@link #lifetime()} minus this. 0 signs every token.
         */
        @WithDefault("PT30S")
        Duration reuseWindow();

        /** At most this many signed tokens are kept for reuse. */
        @WithDefault("10000")
        int reuseMaxEntries();
    }
}
