package io.berth.scanner.registry;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in {@code /q/health/ready} whether SBOMs are being published and, if not, why (no
 * secret, registry or auth unreachable). Always UP: scanning and the scan API work without it,
 * and the SBOMs wait in PostgreSQL, so a waiting publisher must not take the replica out of
 * service.
 */
@Readiness
@ApplicationScoped
public class SbomPublicationCheck implements HealthCheck {

    private final SbomPublisher publisher;

    public SbomPublicationCheck(SbomPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        var answer = HealthCheckResponse.named("sbom-publication").up().withData("registry", publisher.registryUrl());
        publisher.waiting().ifPresentOrElse(w -> answer.withData("waiting", w), () -> answer.withData("waiting", false));
        return answer.build();
    }
}
