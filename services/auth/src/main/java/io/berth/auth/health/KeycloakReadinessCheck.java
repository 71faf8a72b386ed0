package io.berth.auth.health;

import io.berth.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * auth can log people in only while Keycloak serves berth's realm, so readiness asks for the
 * realm's OpenID discovery document (a missing realm is as bad as a missing Keycloak).
 */
@Readiness
@ApplicationScoped
public class KeycloakReadinessCheck implements HealthCheck {

    private final AuthConfig.Keycloak keycloak;
    private final HttpClient http;
    private final URI discovery;

    public KeycloakReadinessCheck(AuthConfig config) {
        this.keycloak = config.keycloak();
        this.http = HttpClient.newBuilder().connectTimeout(keycloak.timeout()).build();
        this.discovery = URI.create(keycloak.url().replaceAll("/+$", "")
                + "/realms/" + keycloak.realm() + "/.well-known/openid-configuration");
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("keycloak")
                .withData("realm", keycloak.realm())
                .withData("url", keycloak.url());
        try {
            var request = HttpRequest.newBuilder(discovery).timeout(keycloak.timeout()).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200
                    ? response.up().build()
                    : response.down().withData("error", "realm discovery answered HTTP " + status).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
