package io.berth.registry.security;

import io.berth.registry.config.RegistryConfig;
import io.berth.security.token.Jwks;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The public keys tokens are verified with, by key id: from a JWKS file, or from auth's JWKS
 * URL. An unknown key id triggers a refetch (at most once per {@code jwks-min-refresh}), so a
 * rotated key is picked up without a restart and a flood of bogus key ids cannot hammer auth.
 */
@ApplicationScoped
public class TokenKeys {

    private static final Logger LOG = Logger.getLogger(TokenKeys.class);

    private final RegistryConfig.Auth config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile Map<String, ECPublicKey> keys = Map.of();
    private volatile Instant lastLoad = Instant.EPOCH;

    public TokenKeys(RegistryConfig config) {
        this.config = config.auth();
    }

    /** Fails the start of a registry that would refuse every token for want of keys. */
    void checkConfigured(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        if (config.enabled() && config.jwksUrl().isEmpty() && config.jwksFile().isEmpty()) {
            throw new IllegalStateException("berth.registry.auth.enabled is true but neither "
                    + "berth.registry.auth.jwks-url nor berth.registry.auth.jwks-file is set");
        }
    }

    /** The key with this id, loading the key set again if it is unknown and may have rotated. */
    public Optional<ECPublicKey> find(String kid) {
        ECPublicKey key = keys.get(kid);
        if (key == null && Instant.now().isAfter(lastLoad.plus(config.jwksMinRefresh()))) {
            reload();
            key = keys.get(kid);
        }
        return Optional.ofNullable(key);
    }

    private synchronized void reload() {
        if (Instant.now().isBefore(lastLoad.plus(config.jwksMinRefresh()))) {
            return; // another request just reloaded
        }
        lastLoad = Instant.now();
        try {
            keys = Jwks.parse(read());
        } catch (IOException | RuntimeException e) {
            // Keep the keys we had: a token service blip must not lock everyone out.
            LOG.warnf("could not load token keys: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String read() throws IOException, InterruptedException {
        if (config.jwksFile().isPresent()) {
            return Files.readString(config.jwksFile().get());
        }
        var url = config.jwksUrl().orElseThrow(() -> new IllegalStateException(
                "set berth.registry.auth.jwks-url or berth.registry.auth.jwks-file"));
        var response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}
