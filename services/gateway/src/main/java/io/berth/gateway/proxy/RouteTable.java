package io.berth.gateway.proxy;

import io.berth.gateway.config.GatewayConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The configured routes, compiled: the first whose pattern matches the whole path wins. */
public final class RouteTable {

    private record Entry(Pattern path, String upstream) {}

    private final List<Entry> entries;

    public RouteTable(List<GatewayConfig.Route> routes, Set<String> upstreams) {
        this.entries = routes.stream().map(r -> {
            if (!upstreams.contains(r.upstream())) {
                throw new IllegalArgumentException("route " + r.path() + " names upstream '" + r.upstream()
                        + "', which berth.gateway.upstreams does not define");
            }
            return new Entry(Pattern.compile(r.path()), r.upstream());
        }).toList();
    }

    /** The upstream that serves {@code path}, or empty if no route matches. */
    public Optional<String> upstreamFor(String path) {
        for (Entry e : entries) {
            if (e.path().matcher(path).matches()) {
                return Optional.of(e.upstream());
            }
        }
        return Optional.empty();
    }
}
