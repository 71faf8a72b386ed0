package io.berth.registry.service;

import io.berth.oci.RegistryErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A push, upload or mount that would take its project over its storage quota: 403 DENIED. It
 * rolls its transaction back; {@link ProjectPolicy#recordingRefusals} then writes the
 * {@code project.quota.exceeded} event on its own.
 */
public class QuotaExceededException extends PolicyException {

    private static final long serialVersionUID = 1L;

    private final String project;
    private final String repository;
    private final long usedBytes;
    private final long quotaBytes;
    private final long requiredBytes;

    QuotaExceededException(String project, String repository, long usedBytes, long quotaBytes, long requiredBytes) {
        super(RegistryErrorCode.DENIED, "project " + project + " would exceed its storage quota: " + usedBytes
                + " of " + quotaBytes + " bytes are used and this needs " + requiredBytes + " more",
                detail(project, repository, usedBytes, quotaBytes, requiredBytes));
        this.project = project;
        this.repository = repository;
        this.usedBytes = usedBytes;
        this.quotaBytes = quotaBytes;
        this.requiredBytes = requiredBytes;
    }

    /** The facts of the refusal, as the error's detail and the event's data carry them. */
    Map<String, Object> facts() {
        return detail(project, repository, usedBytes, quotaBytes, requiredBytes);
    }

    String project() {
        return project;
    }

    private static Map<String, Object> detail(String project, String repository, long used, long quota,
            long required) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("project", project);
        detail.put("repository", repository);
        detail.put("usedBytes", used);
        detail.put("quotaBytes", quota);
        detail.put("requiredBytes", required);
        return detail;
    }
}
