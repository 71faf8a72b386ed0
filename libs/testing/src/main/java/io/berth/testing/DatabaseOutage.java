package io.berth.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A Quarkus test resource that puts a {@link TcpRelay} between the service and the shared test
 * PostgreSQL, so a test can stop "PostgreSQL" for its service alone ({@link #begin()}) and bring
 * it back ({@link #end()}). The service starts normally through the relay (Flyway, pools), then
 * sees exactly what a stopped server looks like: pooled connections broken, new ones refused.
 *
 * <p>Use it through {@link Profile} (a test's {@code @TestProfile} extends it and names a port
 * of the module's own); the datasource URL is that of the tests ({@code BERTH_TEST_JDBC_URL},
 * default the {@code berth_test} database) with its host and port replaced by the relay's.
 */
public class DatabaseOutage implements QuarkusTestResourceLifecycleManager {

    private static volatile TcpRelay relay;
    private static volatile String url;

    /**
     * The test profile of a service whose datasource goes through the relay on {@link #port()},
     * and which fails fast on a refused connection instead of waiting for the pool's default 5 s.
     */
    public abstract static class Profile implements QuarkusTestProfile {

        /** The relay's port on 127.0.0.1: one no other test module uses. */
        protected abstract int port();

        /**
         * The test datasource URL whose host and port the relay takes over: the tests'
         * ({@code BERTH_TEST_JDBC_URL}, default the {@code berth_test} database) unless a module
         * keeps its tables elsewhere (gc's {@code ?currentSchema=gc_test}).
         */
        protected String jdbcUrl() {
            return System.getenv().getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseOutage.class,
                    Map.of("port", Integer.toString(port()), "url", jdbcUrl())));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.acquisition-timeout", "PT2S");
        }
    }

    @Override
    public void init(Map<String, String> initArgs) {
        int port = Integer.parseInt(initArgs.getOrDefault("port", "0"));
        if (port <= 0) {
            throw new IllegalArgumentException("DatabaseOutage needs the init argument 'port'");
        }
        relay = new TcpRelay(port, "127.0.0.1", 5432);
        url = initArgs.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/berth_test");
    }

    /** Called by Quarkus after {@link #init}: starts the relay and points the datasource at it. */
    @Override
    public Map<String, String> start() {
        relay.start();
        return Map.of("quarkus.datasource.jdbc.url",
                url.replaceFirst("//[^/]+/", "//127.0.0.1:" + relay.port() + "/"));
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    /** PostgreSQL goes away for the service under test. */
    public static void begin() {
        relay.cut();
    }

    /** PostgreSQL is back. */
    public static void end() {
        relay.start();
    }
}
