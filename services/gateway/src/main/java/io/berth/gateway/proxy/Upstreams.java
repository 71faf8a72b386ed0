package io.berth.gateway.proxy;

import io.berth.gateway.config.GatewayConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The instances of each upstream, and which one takes a request:
 * <ul>
 *   <li>round robin, passing over instances that refused a connection within
 *       {@code client.down-for};
 *   <li>an upload session goes back to the instance that made it (its key travels in the upload
 *       location), or, if that one is gone, to the next in a fixed order per session, so that
 *       every gateway replica picks the same successor.
 * </ul>
 * Host names are resolved every {@code client.resolve-every}; each address is an instance.
 */
public final class Upstreams {

    private static final Logger LOG = Logger.getLogger(Upstreams.class);

    private final Map<String, List<URI>> configured = new TreeMap<>();
    private final Map<String, List<Instance>> instances = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> next = new ConcurrentHashMap<>();
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
    private final Duration downFor;

    public Upstreams(Map<String, GatewayConfig.Upstream> upstreams, Duration downFor) {
        upstreams.forEach((name, u) -> configured.put(name, List.copyOf(u.instances())));
        this.downFor = downFor;
        resolve();
    }

    public Set<String> names() {
        return configured.keySet();
    }

    /** Resolves every configured host again; keeps the previous addresses of one that fails. */
    public void resolve() {
        configured.forEach((name, uris) -> {
            List<Instance> resolved = new ArrayList<>();
            for (URI uri : uris) {
                resolved.addAll(expand(uri, instances.getOrDefault(name, List.of())));
            }
            instances.put(name, List.copyOf(resolved));
            next.computeIfAbsent(name, n -> new AtomicInteger());
        });
    }

    private static List<Instance> expand(URI uri, List<Instance> previous) {
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String authority = uri.getHost() + ":" + port;
        Set<String> addresses = new LinkedHashSet<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                addresses.add(a.getHostAddress());
            }
        } catch (UnknownHostException e) {
            LOG.warnf("cannot resolve upstream %s, keeping its previous addresses: %s", uri, e.getMessage());
            return previous.stream().filter(i -> i.authority().equals(authority)).toList();
        }
        return addresses.stream().map(a -> new Instance(key(a + ":" + port), ssl, uri.getHost(), a, port, authority)).toList();
    }

    /** Every instance of {@code upstream}, in configuration order. */
    public List<Instance> all(String upstream) {
        return instances.getOrDefault(upstream, List.of());
    }

    /**
     * The instances to try for a request, best first: for an upload session with a known
     * instance key, that instance, then the session's fixed successors; otherwise round robin.
     * Instances passed over as down come last, so a request is tried everywhere before it fails.
     */
    public List<Instance> candidates(String upstream, Optional<String> session, Optional<String> preferredKey) {
        List<Instance> all = all(upstream);
        if (all.isEmpty()) {
            return all;
        }
        List<Instance> order;
        if (session.isPresent()) {
            order = new ArrayList<>(all);
            order.sort(Comparator.comparing((Instance i) -> key(session.get() + "/" + i.key())));
            preferredKey.flatMap(k -> all.stream().filter(i -> i.key().equals(k)).findFirst()).ifPresent(p -> {
                order.remove(p);
                order.add(0, p);
            });
        } else {
            int start = Math.floorMod(next.get(upstream).getAndIncrement(), all.size());
            order = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                order.add(all.get((start + i) % all.size()));
            }
        }
        long now = System.nanoTime();
        List<Instance> up = new ArrayList<>();
        List<Instance> down = new ArrayList<>();
        for (Instance i : order) {
            Long until = downUntil.get(i.key());
            (until != null && until - now > 0 ? down : up).add(i);
        }
        up.addAll(down);
        return up;
    }

    /** Passes over {@code instance} for a while: it refused a connection. */
    public void markDown(Instance instance) {
        downUntil.put(instance.key(), System.nanoTime() + downFor.toNanos());
    }

    public void markUp(Instance instance) {
        downUntil.remove(instance.key());
    }

    /** Whether {@code authority} ({@code host:port}) is one of the configured upstream addresses. */
    public boolean isInternal(String authority) {
        for (List<Instance> list : instances.values()) {
            for (Instance i : list) {
                if (i.authority().equalsIgnoreCase(authority) || (i.address() + ":" + i.port()).equals(authority)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A short stable hash: SHA-256, first 6 bytes, hex. */
    static String key(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
