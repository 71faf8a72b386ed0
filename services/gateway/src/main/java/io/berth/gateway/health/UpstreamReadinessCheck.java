package io.berth.gateway.health;

import io.berth.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway is ready while every service it routes to that it requires (all but gc,
 * {@code required=false}) has at least one live instance; the data lists every service. An
 * instance is live when its {@code /q/health/live} answers 200 within the probe timeout.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadinessCheck implements HealthCheck {

    private final GatewayConfig config;
    private final HttpClient http;

    public UpstreamReadinessCheck(GatewayConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.probeTimeout()).build();
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("upstreams");
        boolean allUp = true;
        Map<String, String> states = new TreeMap<>();
        for (var upstream : config.upstreams().entrySet()) {
            long live = upstream.getValue().instances().stream().filter(this::isLive).count();
            int total = upstream.getValue().instances().size();
            states.put(upstream.getKey(), live + "/" + total + " live");
            allUp &= live > 0 || !upstream.getValue().required();
        }
        states.forEach(builder::withData);
        return builder.status(allUp).build();
    }

    private boolean isLive(URI instance) {
        URI probe = URI.create(instance.toString().replaceAll("/+$", "") + "/q/health/live");
        try {
            var request = HttpRequest.newBuilder(probe).timeout(timeout()).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private Duration timeout() {
        return config.probeTimeout();
    }
}
