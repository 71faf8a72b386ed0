package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.metadata.ProjectRepository;
import io.berth.security.Scope;
import io.berth.security.token.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Issues registry tokens (Docker Registry token specification): what is granted is the
 * intersection of what was asked and what the caller may do, never more. This first step knows
 * one caller, the anonymous one, who may pull from public projects; users, CLI secrets and robot
 * accounts follow with the rest of issue #4.
 */
@ApplicationScoped
public class TokenService {

    private static final Set<String> ANONYMOUS_IN_PUBLIC_PROJECT = Set.of("pull");

    /** A signed token and what it says, for the answer. */
    public record Issued(String token, Instant issuedAt, Duration lifetime, List<Scope> access) {}

    private final SigningKeys keys;
    private final ProjectRepository projects;
    private final AuthConfig.Token config;
    private final Clock clock = Clock.systemUTC();

    public TokenService(SigningKeys keys, ProjectRepository projects, AuthConfig config) {
        this.keys = keys;
        this.projects = projects;
        this.config = config.token();
    }

    /** The service tokens are for, which a request must name if it names one. */
    public String service() {
        return config.service();
    }

    /**
     * A token for an anonymous caller: for each requested repository scope in a public project,
     * pull (if asked for, or asked with {@code *}); nothing else. Scopes that grant nothing are
     * left out. With no scope at all the token grants nothing, which is what a login check needs.
     */
    public Issued issueAnonymous(List<Scope> requested) {
        List<Scope> granted = new ArrayList<>();
        for (Scope scope : requested) {
            Scope allowed = scope.intersect(anonymousActions(scope));
            if (!allowed.actions().isEmpty()) {
                granted.add(allowed);
            }
        }
        var active = keys.active();
        var signer = new TokenSigner(active.kid(), active.privateKey(), config.issuer(), clock);
        Instant now = clock.instant();
        return new Issued(signer.sign("", config.service(), config.lifetime(), granted), now, config.lifetime(), granted);
    }

    private Set<String> anonymousActions(Scope scope) {
        if (!"repository".equals(scope.type())) {
            return Set.of();
        }
        String project = scope.name().split("/", 2)[0];
        return projects.isPublic(project).orElse(false) ? ANONYMOUS_IN_PUBLIC_PROJECT : Set.of();
    }
}
