package io.berth.gateway.console;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code If-None-Match} against an entity tag (RFC 9110 13.1.2: the weak comparison). */
final class EntityTags {

    /** One entity tag of a list: optionally weak, its opaque part quoted. */
    private static final Pattern TAG = Pattern.compile("\\s*(?:W/)?(\"[^\"]*\")\\s*(?:,|$)");

    private EntityTags() {}

    /** Whether {@code ifNoneMatch} (null if absent) names {@code etag} or is {@code *}. */
    static boolean matchesAny(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        Matcher m = TAG.matcher(ifNoneMatch);
        int at = 0;
        while (at < ifNoneMatch.length() && m.find(at) && m.start() == at) {
            if (m.group(1).equals(etag)) {
                return true;
            }
            at = m.end();
        }
        return false;
    }
}
