package io.berth.replicator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.replicator.policy.Filters.Kind;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FiltersJson}: what is stored reads back the same; a request's filters are checked field by field. */
class FiltersJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void roundTrip() {
        Filters f = new Filters(List.of("team/**", "other/*"), List.of("v*"), List.of("*-rc*"),
                EnumSet.of(Kind.IMAGES, Kind.REFERRERS), List.of("linux/amd64", "linux/arm64/v8"), true);
        String stored = FiltersJson.write(f).toString();
        assertEquals(f, FiltersJson.read(stored));
        assertEquals(f, FiltersJson.parse(FiltersJson.write(f)), "an answer's filters are a valid request");
        assertEquals(Filters.ALL_ARTIFACTS, FiltersJson.read(FiltersJson.write(Filters.ALL_ARTIFACTS).toString()));
        assertEquals(Filters.ALL_ARTIFACTS, FiltersJson.read("{}"));
    }

    @Test
    void parseAcceptsTypesForKindsAndDefaults() throws Exception {
        Filters f = FiltersJson.parse(JSON.readTree("{\"types\":[\"charts\"],\"repositories\":[\"a/**\"]}"));
        assertEquals(EnumSet.of(Kind.CHARTS), f.kinds());
        assertEquals(List.of("a/**"), f.repositories());
        assertEquals(Filters.ALL_ARTIFACTS, FiltersJson.parse(JSON.readTree("{}")));
        assertEquals(Filters.ALL_ARTIFACTS, FiltersJson.parse(null));
    }

    @Test
    void parseNamesTheFieldAtFault() {
        String[][] cases = {
            {"[]", "filters must be an object"},
            {"{\"repos\":[]}", "unknown field filters.repos"},
            {"{\"repositories\":\"a\"}", "filters.repositories must be a list"},
            {"{\"repositories\":[\"ok/*\",\"bad/{x\"]}", "filters.repositories[1]"},
            {"{\"tags\":{\"include\":[\"[v\"]}}", "filters.tags.include[0]"},
            {"{\"tags\":{\"exclude\":[3]}}", "filters.tags.exclude[0] must be a string"},
            {"{\"tags\":{\"only\":[]}}", "unknown field filters.tags.only"},
            {"{\"kinds\":[\"images\",\"vms\"]}", "filters.kinds holds vms"},
            {"{\"types\":[\"IMAGES\"]}", "filters.types holds IMAGES"},
            {"{\"kinds\":[],\"types\":[]}", "give one"},
            {"{\"platforms\":[\"linux\"]}", "filters.platforms[0]"},
            {"{\"untagged\":\"yes\"}", "filters.untagged must be true or false"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> FiltersJson.parse(JSON.readTree(c[0])), c[0]);
            assertEquals(ApiErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
