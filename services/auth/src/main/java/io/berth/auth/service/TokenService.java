package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.metadata.MemberRepository;
import io.berth.security.Scope;
import io.berth.security.token.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Issues registry tokens (Docker Registry token specification): what is granted is the
 * intersection of what was asked and what the caller may do, never more (docs/security.md):
 * <ul>
 *   <li>in a repository, the actions of the caller's role in its project (their own membership
 *       or a group's, the highest), plus pull in a public project; a system administrator may
 *       pull, push and delete everywhere;
 *   <li>{@code registry:catalog:*} for system administrators, and service accounts configured
 *       with the {@code catalog} action;
 *   <li>nothing else.
 * </ul>
 * A robot account gets what its permissions name in each project, plus pull in public
 * projects. A robot holding {@code scanner-pull} in a project gets it with every pull granted
 * there, asked for or not: scanners pull with ordinary clients, which ask for {@code pull} only,
 * and {@code scanner-pull} only lets a pull pass the project's pull gate, so it widens nothing
 * the robot could not already read (docs/security.md, "The pull gate"). No other subject ever
 * gets it, but a service account ({@link ServiceAccounts}) whose actions name it, by the same
 * rule. A service account gets its configured actions in every repository of every existing
 * project, and {@code registry:catalog:*} only if its actions name {@code catalog}.
 */
@ApplicationScoped
public class TokenService {

    private static final Set<String> PULL = Set.of("pull");
    private static final Set<String> EVERYTHING = Set.of("pull", "push", "delete");
    private static final String SCANNER_PULL = "scanner-pull";

    /** A signed token and what it says, for the answer. */
    public record Issued(String token, Instant issuedAt, Duration lifetime, List<Scope> access) {}

    private final SigningKeys keys;
    private final ProjectVisibility projects;
    private final MemberRepository members;
    private final AuthConfig.Token config;
    private final Clock clock;
    private final TokenReuse reuse;

    public TokenService(SigningKeys keys, ProjectVisibility projects, MemberRepository members, AuthConfig config) {
        this.keys = keys;
        this.projects = projects;
        this.members = members;
        this.config = config.token();
        this.clock = Clock.systemUTC();
        this.reuse = new TokenReuse(this.config.reuseWindow(), this.config.reuseMaxEntries());
    }

    /** The service tokens are for, which a request must name if it names one. */
    public String service() {
        return config.service();
    }

    /**
     * A token for {@code caller} granting what it may do of what it asked for. Scopes that grant
     * nothing are left out; with no scope at all the token grants nothing, which is all a login
     * check needs. A token signed moments ago for the same subject, key and grants is handed out
     * again ({@link TokenReuse}), with the lifetime it has left.
     */
    public Issued issue(Caller caller, List<Scope> requested) {
        List<Scope> granted = new ArrayList<>();
        for (Scope scope : requested) {
            Set<String> may = allowedActions(caller, scope);
            Scope allowed = scope.intersect(may);
            if (allowed.has("pull") && !allowed.has(SCANNER_PULL) && may.contains(SCANNER_PULL)) {
                Set<String> actions = new java.util.LinkedHashSet<>(allowed.actions());
                actions.add(SCANNER_PULL);
                allowed = new Scope(allowed.type(), allowed.name(), actions);
            }
            if (!allowed.actions().isEmpty()) {
                granted.add(allowed);
            }
        }
        var active = keys.active();
        Instant now = clock.instant();
        var key = new TokenReuse.Key(caller.subject(), active.kid(), List.copyOf(granted));
        var again = reuse.find(key, now);
        if (again.isPresent()) {
            var s = again.get();
            return new Issued(s.token(), s.issuedAt(), Duration.between(now, s.expiresAt()), granted);
        }
        // The signer reads the same instant, so the token's iat is the issuedAt answered.
        var signer = new TokenSigner(active.kid(), active.privateKey(), config.issuer(), Clock.fixed(now, clock.getZone()));
        String token = signer.sign(caller.subject(), config.service(), config.lifetime(), granted);
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        reuse.remember(key, new TokenReuse.Signed(token, issuedAt, issuedAt.plus(config.lifetime())), now);
        return new Issued(token, issuedAt, config.lifetime(), granted);
    }

    private Set<String> allowedActions(Caller caller, Scope scope) {
        if ("registry".equals(scope.type()) && "catalog".equals(scope.name())) {
            boolean listing = caller.admin()
                    || (caller.isService() && caller.serviceActions().contains(ServiceAccounts.CATALOG));
            return listing ? Set.of(Scope.WILDCARD) : Set.of();
        }
        if (!"repository".equals(scope.type())) {
            return Set.of();
        }
        if (caller.admin()) {
            return EVERYTHING;
        }
        String project = scope.name().split("/", 2)[0];
        var open = projects.isPublic(project);
        if (open.isEmpty()) {
            // No such project (any more): a robot's remembered grants for a deleted one give nothing.
            return Set.of();
        }
        if (caller.isService()) {
            Set<String> actions = new HashSet<>(caller.serviceActions());
            actions.remove(ServiceAccounts.CATALOG);
            return actions;
        }
        Set<String> allowed = new HashSet<>();
        if (caller.isRobot()) {
            allowed.addAll(caller.robotGrants().getOrDefault(project, Set.of()));
        } else if (!caller.anonymous()) {
            members.roleOf(project, caller.subject(), caller.groups()).ifPresent(r -> allowed.addAll(r.scopeActions()));
        }
        if (open.get()) {
            allowed.addAll(PULL);
        }
        return allowed;
    }
}
