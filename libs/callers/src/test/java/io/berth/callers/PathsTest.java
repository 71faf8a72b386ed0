package io.berth.callers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PathsTest {

    @Test
    void dotSegmentsAreResolved() {
        assertEquals("/api/v1/scanners", Paths.normalize("/api/v1/projects/p/../../scanners"));
        assertEquals("/api/v1/replication/endpoints", Paths.normalize("/api/v1/x/./../replication/endpoints"));
        assertEquals("/api/v1/projects/a.b", Paths.normalize("/api/v1/projects/a.b"));
    }
}
