package io.berth.scanner.vulndb;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.version.VersionScheme;
import io.quarkus.test.Mock;

/** The matcher's version orders in QuarkusTests: {@link TestSchemes} (the real ones arrive at the merge). */
@Mock
public class TestSchemeLookup extends SchemeLookup {

    @Override
    public VersionScheme of(Ecosystem.Scheme scheme) {
        return TestSchemes.of(scheme);
    }
}
