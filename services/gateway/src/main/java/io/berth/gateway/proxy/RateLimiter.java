package io.berth.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code rate} requests per second on average, up to
 * {@code burst} at once. Buckets of clients gone quiet are forgotten, so the map stays bounded
 * by the clients of the last few seconds.
 */
public final class RateLimiter {

    private static final int MAX_TRACKED = 100_000;

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final double rate;
    private final int burst;

    public RateLimiter(double requestsPerSecond, int burst) {
        this.rate = requestsPerSecond;
        this.burst = burst;
    }

    /**
     * Takes one request's token for {@code client}.
     *
     * @return 0 if the request may go, else the seconds until it may (at least 1)
     */
    public long acquire(String client, long nowNanos) {
        if (buckets.size() > MAX_TRACKED) {
            long fullAfter = (long) (burst / rate * 1e9);
            buckets.values().removeIf(b -> nowNanos - b.lastNanos > fullAfter);
        }
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.lastNanos) / 1e9 * rate);
            b.lastNanos = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
        }
    }
}
