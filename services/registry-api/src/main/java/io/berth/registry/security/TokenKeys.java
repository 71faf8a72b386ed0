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
 *
 * <p>A request that meets an unknown key id while another request is fetching waits for that
 * fetch and then looks again. Before, it was refused at once (the fetch had just "happened"),
 * so the first burst of requests after a start or a rotation, all carrying the new key, got
 * 401 except the one that fetched.
 */
@ApplicationScoped
public class TokenKeys {

    private static final Logger LOG = Logger.getLogger(TokenKeys.class);

    /** Where the JWKS document comes from (a file or auth's URL). */
    @FunctionalInterface
    interface Source {
        String read() throws IOException, InterruptedException;
    }

    private final Source source;
    private final Duration minRefresh;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final RegistryConfig.Auth config;
    private volatile Map<String, ECPublicKey> keys = Map.of();
    private Instant lastLoad = Instant.EPOCH; // guarded by this

    @jakarta.inject.Inject
    public TokenKeys(RegistryConfig config) {
        this.config = config.auth();
        this.minRefresh = this.config.jwksMinRefresh();
        this.source = this::readConfigured;
    }

    TokenKeys(Source source, Duration minRefresh) {
        this.config = null;
        this.source = source;
        this.minRefresh = minRefresh;
    }

    /** Fails the start of a registry that would refuse every token for want of keys. */
    void checkConfigured(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        if (config != null && config.enabled() && config.jwksUrl().isEmpty() && config.jwksFile().isEmpty()) {
            throw new IllegalStateException("berth.registry.auth.enabled is true but neither "
                    + "berth.registry.auth.jwks-url nor berth.registry.auth.jwks-file is set");
        }
    }

    /** The key with this id, loading the key set again if it is unknown and may have rotated. */
    public Optional<ECPublicKey> find(String kid) {
        ECPublicKey key = keys.get(kid);
        return Optional.ofNullable(key != null ? key : reloadFor(kid));
    }

    /**
     * Loads the key set again unless that was done within {@code minRefresh}, and looks the key
     * up. Synchronized: a caller arriving during a load waits for it and sees its keys.
     */
    private synchronized ECPublicKey reloadFor(String kid) {
        ECPublicKey key = keys.get(kid);
        Instant now = Instant.now();
        if (key != null || now.isBefore(lastLoad.plus(minRefresh))) {
            return key;
        }
        lastLoad = now;
        try {
            keys = Jwks.parse(source.read());
        } catch (IOException | RuntimeException e) {
            // Keep the keys we had: a token service blip must not lock everyone out.
            LOG.warnf("could not load token keys: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return keys.get(kid);
    }

    private String readConfigured() throws IOException, InterruptedException {
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
