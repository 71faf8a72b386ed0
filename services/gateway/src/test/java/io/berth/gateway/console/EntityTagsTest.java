package io.berth.gateway.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntityTagsTest {

    private static final String TAG = "\"0123abcd\"";

    @Test
    void aListNamingTheTagWeakOrStrongMatches() {
        assertTrue(EntityTags.matchesAny(TAG, TAG));
        assertTrue(EntityTags.matchesAny("W/" + TAG, TAG));
        assertTrue(EntityTags.matchesAny("\"x\", W/\"y\" ," + TAG, TAG));
        assertTrue(EntityTags.matchesAny(" * ", TAG));
    }

    @Test
    void anythingElseDoesNot() {
        assertFalse(EntityTags.matchesAny(null, TAG));
        assertFalse(EntityTags.matchesAny("", TAG));
        assertFalse(EntityTags.matchesAny("\"0123abc\"", TAG));
        assertFalse(EntityTags.matchesAny("0123abcd", TAG));
        assertFalse(EntityTags.matchesAny("\"x\" " + TAG, TAG));
        assertFalse(EntityTags.matchesAny("*, " + TAG.substring(1), TAG));
    }
}
