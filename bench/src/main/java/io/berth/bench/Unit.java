package io.berth.bench;

/** The unit of a workload's headline number, and which way is better. */
enum Unit {
    MB_PER_S("MB/s", true),
    REQ_PER_S("req/s", true),
    IMAGES_PER_S("images/s", true),
    SECONDS("s", false);

    final String label;
    final boolean higherIsBetter;

    Unit(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }
}
