package io.berth.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void wireNamesAreTheDocumentedOnes() {
        assertEquals("io.berth.artifact.pushed.v1", EventType.ARTIFACT_PUSHED.wire());
        assertEquals("io.berth.artifact.deleted.v1", EventType.ARTIFACT_DELETED.wire());
        assertEquals("io.berth.tag.deleted.v1", EventType.TAG_DELETED.wire());
        assertEquals("io.berth.artifact.pulled.v1", EventType.ARTIFACT_PULLED.wire());
        assertEquals("io.berth.auth.login_failed.v1", EventType.AUTH_LOGIN_FAILED.wire());
        assertEquals("io.berth.robot.created.v1", EventType.ROBOT_CREATED.wire());
        assertEquals("io.berth.project.quota.warning.v1", EventType.PROJECT_QUOTA_WARNING.wire());
        assertEquals("io.berth.project.quota.exceeded.v1", EventType.PROJECT_QUOTA_EXCEEDED.wire());
        assertEquals("io.berth.system_settings.updated.v1", EventType.SYSTEM_SETTINGS_UPDATED.wire());
    }

    @Test
    void artifactEventsGoToTheArtifactTopicAndManagementToAudit() {
        assertEquals("berth.artifacts", EventType.ARTIFACT_PULLED.topic());
        assertEquals("berth.artifacts", EventType.TAG_DELETED.topic());
        assertEquals("berth.audit", EventType.PROJECT_CREATED.topic());
        assertEquals("berth.audit", EventType.AUTH_LOGIN_FAILED.topic());
        assertEquals("berth.audit", EventType.PROJECT_QUOTA_EXCEEDED.topic());
    }

    @Test
    void everyWireNameIsUniqueAndParsesBack() {
        var seen = new HashSet<String>();
        for (EventType t : EventType.values()) {
            assertTrue(seen.add(t.wire()), "duplicate " + t.wire());
            assertEquals(t, EventType.fromWire(t.wire()).orElseThrow());
        }
    }

    @Test
    void unknownOrOtherVersionsDoNotParse() {
        assertTrue(EventType.fromWire("io.berth.artifact.pushed.v2").isEmpty());
        assertTrue(EventType.fromWire("artifact.pushed").isEmpty());
        assertTrue(EventType.fromWire("").isEmpty());
    }
}
