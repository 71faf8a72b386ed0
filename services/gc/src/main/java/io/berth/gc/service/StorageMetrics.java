package io.berth.gc.service;

import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.Db;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * {@code registry_storage_bytes_total}: what berth stores, read from PostgreSQL every
 * {@code berth.gc.storage-metrics-interval} (30 s), so it follows every push and delete within
 * that time and agrees with what gc runs reconcile. {@code scope="total"}: the bytes of every
 * blob, each counted once however many repositories and projects use it (what the object store
 * holds). {@code scope="project",project="<name>"}: the project's usage as quotas count it
 * ({@code project_usage}: each blob it uses once, plus its manifests), so a blob two projects
 * use counts in both.
 */
@ApplicationScoped
public class StorageMetrics {

    static final String NAME = "registry.storage.bytes.total";

    private static final Logger LOG = Logger.getLogger(StorageMetrics.class);

    private final DataSource db;
    private final MeterRegistry meters;
    private final GcConfig config;
    private final AtomicLong total = new AtomicLong();
    private final Map<String, AtomicLong> projects = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;

    public StorageMetrics(DataSource db, MeterRegistry meters, GcConfig config) {
        this.db = db;
        this.meters = meters;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        Gauge.builder(NAME, total, AtomicLong::get).description("bytes berth stores")
                .tags("scope", "total", "project", "").register(meters);
        refresher = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-gc-storage-metrics"));
        long period = config.storageMetricsInterval().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Reads the numbers now; a failure keeps the last ones and is logged. */
    public void refresh() {
        try {
            Map<String, Long> now = new HashMap<>();
            long blobs = Db.statements(db, "measure storage", c -> {
                try (var ps = c.prepareStatement("""
                        SELECT p.name, u.stored_bytes FROM project_usage u JOIN projects p ON p.id = u.project_id""");
                        var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        now.put(rs.getString(1), rs.getLong(2));
                    }
                }
                try (var ps = c.prepareStatement("SELECT coalesce(sum(size), 0) FROM blobs"); var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            total.set(blobs);
            now.forEach((name, bytes) -> projects.computeIfAbsent(name, this::register).set(bytes));
            projects.keySet().removeIf(name -> {
                if (now.containsKey(name)) {
                    return false;
                }
                meters.find(NAME).tags("scope", "project", "project", name).meters().forEach(meters::remove);
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warnf("could not measure storage (tried again in %s): %s", config.storageMetricsInterval(),
                    e.getMessage());
        }
    }

    private AtomicLong register(String project) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(NAME, value, AtomicLong::get).description("bytes berth stores")
                .tags("scope", "project", "project", project).register(meters);
        return value;
    }
}
