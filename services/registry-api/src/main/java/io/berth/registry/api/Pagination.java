package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The {@code n} and {@code last} query parameters of the tag list, the catalog and the
 * referrers list, and the {@code Link: <...>; rel="next"} header of a page that is not the last.
 *
 * <p>A page holds at most {@link #MAX_PAGE} entries: without {@code n}, or with a larger one,
 * the answer is cut there and carries a {@code Link} to the rest, which the spec allows
 * ("fewer than n results ... when a Link header is provided"). {@code n=0} is an empty list
 * without {@code Link}, as the spec requires.
 *
 * @param limit the number of entries wanted, 0 to {@link #MAX_PAGE}
 * @param last the entry to start after (exclusive), or null for the start
 */
record Pagination(int limit, String last) {

    /** The largest page answered, whatever {@code n} asks for. */
    static final int MAX_PAGE = 1000;

    /**
     * Reads {@code n} and {@code last} as sent.
     *
     * @throws RegistryStatusException 400 (code UNSUPPORTED) if {@code n} is not a
     *     non-negative integer
     */
    static Pagination of(String n, String last) {
        String start = last == null || last.isEmpty() ? null : last;
        if (n == null || n.isEmpty()) {
            return new Pagination(MAX_PAGE, start);
        }
        int limit;
        try {
            limit = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            // Not a number at all, or beyond int: only the latter is still a valid request.
            if (n.chars().allMatch(Character::isDigit)) {
                return new Pagination(MAX_PAGE, start);
            }
            throw invalid(n);
        }
        if (limit < 0) {
            throw invalid(n);
        }
        return new Pagination(Math.min(limit, MAX_PAGE), start);
    }

    /** How many rows to ask the database for: one more than the page, to know if more remain. */
    int probe() {
        return limit == 0 ? 0 : limit + 1;
    }

    /** The page of {@code rows} (fetched with {@link #probe()}) to answer. */
    <T> List<T> page(List<T> rows) {
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    /**
     * Adds {@code Link: <path?n=..&last=..>; rel="next"} when {@code rows} held more than a
     * page. {@code last} needs no escaping: tags and repository names only contain
     * {@code [A-Za-z0-9._/-]}, all legal in a query.
     */
    Response.ResponseBuilder link(Response.ResponseBuilder response, String path, List<String> rows) {
        return link(response, path, rows, "");
    }

    /** The same, with {@code extraQuery} ({@code &k=v}, already encoded) appended to the link. */
    Response.ResponseBuilder link(Response.ResponseBuilder response, String path, List<String> rows, String extraQuery) {
        if (limit > 0 && rows.size() > limit) {
            String next = path + "?n=" + limit + "&last=" + rows.get(limit - 1) + extraQuery;
            response.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return response;
    }

    private static RegistryStatusException invalid(String n) {
        return new RegistryStatusException(400, RegistryErrorCode.UNSUPPORTED,
                Map.of("n", n, "reason", "n must be a non-negative integer"));
    }
}
