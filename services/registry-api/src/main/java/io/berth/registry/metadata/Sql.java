package io.berth.registry.metadata;

import java.sql.SQLException;

/** Turns a database failure into the unchecked exception the API maps to UNKNOWN/500. */
final class Sql {

    private Sql() {}

    static MetadataUnavailableException failure(String what, SQLException e) {
        return new MetadataUnavailableException("could not " + what + ": " + e.getMessage(), e);
    }
}
