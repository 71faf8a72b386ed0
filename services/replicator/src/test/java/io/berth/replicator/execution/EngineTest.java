package io.berth.replicator.execution;

import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.support.Distribution;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the engine's Quarkus tests share: an open docker-registry as the remote, a client of the
 * one standing in for this berth ({@link LocalBerth}), and the {@link Fixture}.
 */
abstract class EngineTest {

    static Distribution remote;

    @Inject
    DataSource db;
    @Inject
    Endpoints endpoints;

    Fixture fx;
    RegistryClient local;
    RegistryClient remoteClient;

    @BeforeAll
    static void startRemote() throws Exception {
        remote = Distribution.open();
    }

    @AfterAll
    static void stopRemote() throws Exception {
        remote.close();
    }

    @BeforeEach
    void setUp() {
        fx = new Fixture(db, endpoints);
        local = Fixture.client(LocalBerth.registry.url(), Distribution.USER, Distribution.PASSWORD);
        remoteClient = Fixture.client(remote.url(), null, null);
    }
}
