package io.berth.registry.metadata;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Turns a database failure into the unchecked exception the API maps to UNKNOWN/500. */
final class Sql {

    private Sql() {}

    /** Runs a query whose first column is text, in order. */
    static List<String> strings(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static MetadataUnavailableException failure(String what, SQLException e) {
        return new MetadataUnavailableException("could not " + what + ": " + e.getMessage(), e);
    }
}
