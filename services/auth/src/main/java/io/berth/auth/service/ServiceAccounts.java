package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The accounts of berth's own services ({@code service$<name>}), which get registry tokens from
 * the token service like any client: {@code berth.auth.service-accounts."<name>".secret} and
 * {@code .actions} (some of pull, push, delete, scanner-pull), held in every repository of every
 * existing project, and the catalog only with the {@code catalog} action. An account whose secret is unset does not
 * exist, so nothing is open until an operator sets one. The secret lives in configuration (an
 * environment variable that {@code ./berth up} or a Kubernetes secret fills), not in the
 * database; it is compared in constant time, through SHA-256 so that its length leaks nothing
 * either. No user or robot can own a name with the prefix (see {@link #reserved}).
 */
@ApplicationScoped
public class ServiceAccounts {

    /** The prefix of every service account's name. */
    public static final String PREFIX = "service$";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    // As for every other secret berth is configured with (signing keys, adapter secrets).
    private static final int MIN_SECRET = 16;
    /**
     * The action that grants {@code registry:catalog:*} (the list of every repository) rather than
     * anything in a repository: the replicator lists what a policy selects with it.
     */
    public static final String CATALOG = "catalog";

    private static final Set<String> ACTIONS = Set.of("pull", "push", "delete", RobotService.SCANNER_PULL, CATALOG);
    // Compared against when there is no such account, so that an unknown name costs the same.
    private static final byte[] NOBODY = Secrets.sha256("no service account has this secret");

    private record Account(byte[] secretHash, Set<String> actions) {}

    private final Map<String, Account> accounts = new HashMap<>();

    @Inject
    public ServiceAccounts(AuthConfig config) {
        this(config.serviceAccounts());
    }

    /** The accounts {@code configured} names; refuses a bad name, bad actions or a short secret. */
    ServiceAccounts(Map<String, AuthConfig.ServiceAccount> configured) {
        configured.forEach((name, account) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("berth.auth.service-accounts: '" + name
                        + "' is not a service account name (lowercase letters and digits, separated by . _ or -)");
            }
            Set<String> actions = account.actions();
            if (actions.isEmpty() || !ACTIONS.containsAll(actions)
                    || ((actions.contains(RobotService.SCANNER_PULL) || actions.contains(CATALOG)) && !actions.contains("pull"))) {
                throw new IllegalStateException("berth.auth.service-accounts.\"" + name
                        + "\".actions: some of [pull, push, delete, scanner-pull, catalog], scanner-pull and catalog only"
                        + " with pull");
            }
            account.secret().filter(s -> !s.isBlank()).ifPresent(secret -> {
                if (secret.length() < MIN_SECRET) {
                    throw new IllegalStateException("berth.auth.service-accounts.\"" + name + "\".secret must have at least "
                            + MIN_SECRET + " characters (long and random: ./berth up makes about 40)");
                }
                accounts.put(PREFIX + name, new Account(Secrets.sha256(secret), Set.copyOf(actions)));
            });
        });
    }

    /**
     * Whether {@code name} is in the service accounts' namespace, whatever its case: such a name is
     * checked only against {@link #authenticate}, never as a user's (Keycloak) or a robot's.
     */
    public static boolean reserved(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /**
     * The service account these credentials belong to; empty if there is no such account (its
     * secret is unset) or the secret is wrong, after the same work either way.
     */
    public Optional<Caller> authenticate(String fullName, String secret) {
        Account account = accounts.get(fullName);
        boolean match = MessageDigest.isEqual(account == null ? NOBODY : account.secretHash(), Secrets.sha256(secret));
        return match && account != null ? Optional.of(Caller.service(fullName, account.actions())) : Optional.empty();
    }

    /** The names of the accounts that exist (their secret is set), for the startup log. */
    public Set<String> names() {
        return Set.copyOf(accounts.keySet());
    }
}
