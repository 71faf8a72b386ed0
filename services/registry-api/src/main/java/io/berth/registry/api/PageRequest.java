package io.berth.registry.api;

/**
 * The {@code page} and {@code page_size} query parameters of the management API's listings,
 * as Harbor names them: pages count from 1, a page holds 1 to {@value #MAX_SIZE} entries,
 * {@value #DEFAULT_SIZE} by default. The total goes in {@code X-Total-Count}.
 *
 * @param page the page number, from 1
 * @param size the entries per page
 */
record PageRequest(int page, int size) {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final String TOTAL_HEADER = "X-Total-Count";

    /**
     * Reads the parameters as sent; absent or empty means the default.
     *
     * @throws ManagementException BAD_REQUEST if either is not an integer in its range
     */
    static PageRequest of(String page, String pageSize) {
        return new PageRequest(parse("page", page, 1, Integer.MAX_VALUE, 1),
                parse("page_size", pageSize, 1, MAX_SIZE, DEFAULT_SIZE));
    }

    /** The rows to skip; a long, so a huge page number cannot overflow into a negative offset. */
    long offset() {
        return (long) (page - 1) * size;
    }

    private static int parse(String name, String value, int min, int max, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Falls through to the same answer as an out-of-range number.
        }
        throw ManagementException.badRequest(name + " must be an integer from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", not '" + value + "'");
    }
}
