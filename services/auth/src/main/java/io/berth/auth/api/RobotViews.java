package io.berth.auth.api;

import io.berth.auth.metadata.RobotRepository.RobotSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the management API shows a robot: never its secret. */
final class RobotViews {

    private RobotViews() {}

    static Map<String, Object> view(RobotSummary r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", r.name());
        v.put("permissions", r.permissions());
        v.put("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
        v.put("disabled", r.disabled());
        v.put("createdAt", r.createdAt().toString());
        return v;
    }
}
