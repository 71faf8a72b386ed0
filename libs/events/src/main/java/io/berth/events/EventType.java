package io.berth.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The CloudEvents {@code type} of every berth event. The wire form is
 * {@code io.berth.<subject>.<verb>.v<version>}: a consumer matches the exact string, so a
 * changed payload gets a new version rather than a silently different shape.
 */
public enum EventType {
    ARTIFACT_PUSHED("artifact", "pushed", 1, Topics.ARTIFACTS),
    ARTIFACT_DELETED("artifact", "deleted", 1, Topics.ARTIFACTS),
    TAG_DELETED("tag", "deleted", 1, Topics.ARTIFACTS),
    ARTIFACT_PULLED("artifact", "pulled", 1, Topics.ARTIFACTS),
    AUTH_LOGIN_FAILED("auth", "login_failed", 1, Topics.AUDIT),
    PROJECT_CREATED("project", "created", 1, Topics.AUDIT),
    PROJECT_UPDATED("project", "updated", 1, Topics.AUDIT),
    PROJECT_DELETED("project", "deleted", 1, Topics.AUDIT),
    MEMBER_CREATED("member", "created", 1, Topics.AUDIT),
    MEMBER_UPDATED("member", "updated", 1, Topics.AUDIT),
    MEMBER_DELETED("member", "deleted", 1, Topics.AUDIT),
    ROBOT_CREATED("robot", "created", 1, Topics.AUDIT),
    ROBOT_UPDATED("robot", "updated", 1, Topics.AUDIT),
    ROBOT_DELETED("robot", "deleted", 1, Topics.AUDIT),
    CLI_SECRET_CREATED("cli_secret", "created", 1, Topics.AUDIT),
    CLI_SECRET_DELETED("cli_secret", "deleted", 1, Topics.AUDIT),
    SIGNING_KEY_ROTATED("signing_key", "rotated", 1, Topics.AUDIT),
    /** A project's usage crossed 85 % of its quota upwards (registry-api, docs/adr/0021). */
    PROJECT_QUOTA_WARNING("project.quota", "warning", 1, Topics.AUDIT),
    /** A push or mount was refused because it would exceed the project's quota. */
    PROJECT_QUOTA_EXCEEDED("project.quota", "exceeded", 1, Topics.AUDIT),
    /** A system administrator changed the system settings (read-only mode, docs/adr/0022). */
    SYSTEM_SETTINGS_UPDATED("system_settings", "updated", 1, Topics.AUDIT),
    /** scanner-bridge stored a report for an artifact (docs/events.md). */
    SCAN_COMPLETED("scan", "completed", 1, Topics.SCANS),
    /** scanner-bridge gave up scanning an artifact. */
    SCAN_FAILED("scan", "failed", 1, Topics.SCANS);

    private static final String PREFIX = "io.berth.";

    private final String wire;
    private final String topic;

    EventType(String subject, String verb, int version, String topic) {
        this.wire = PREFIX + subject + "." + verb + ".v" + version;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code io.berth.artifact.pushed.v1}. */
    public String wire() {
        return wire;
    }

    /** The topic events of this type are published to. */
    public String topic() {
        return topic;
    }

    /** The type whose wire form is exactly {@code type}; empty for anything else. */
    public static Optional<EventType> fromWire(String type) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(type)).findFirst();
    }
}
