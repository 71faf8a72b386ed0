package io.berth.bench;

import java.util.List;

/**
 * How much of each workload one benchmark does.
 *
 * @param rounds runs of each workload against each registry, alternating registries
 * @param sizes the blob sizes of the push and pull workloads (the middle one is the mixed one's)
 * @param budgetBytes layer bytes moved by one run of a push or pull workload (at least one
 *        operation per client)
 * @param pullSamples the fewest pulls a pull workload makes over all its rounds, whatever the
 *        budget, so that its p99 is a percentile and not the one slowest pull (0: the budget
 *        alone decides)
 * @param blobClients concurrent clients of the push, pull and mixed workloads
 * @param requestClients concurrent clients of the manifest, tag-list, catalog and many-repos workloads
 * @param timedMillis how long one run of a timed workload (manifests, tag list, catalog) lasts
 * @param repos repositories of the many-small-images workload
 * @param reposRounds its rounds (each pushes {@code repos} new repositories into every registry)
 * @param contention concurrent pushes of different tags into one repository
 * @param tags tags of the repository the tag-list workload lists
 * @param skopeoLayer the size of the one-layer image skopeo copies
 * @param skopeoLayers the layer count of the many-layer image skopeo copies
 * @param skopeoSmallLayer the size of each of its layers
 * @param skopeoRounds rounds of each skopeo workload (one copy per registry per round)
 */
record Profile(String name, int rounds, List<Long> sizes, long budgetBytes, int pullSamples, int blobClients,
        int requestClients, long timedMillis, int repos, int reposRounds, int contention, int tags, long skopeoLayer,
        int skopeoLayers, long skopeoSmallLayer, int skopeoRounds) {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    /**
     * Every workload, at sizes that finish in under five minutes on two cores. Timed runs last
     * 1.5 s (2 s until issue #19): the credential workloads added ten timed runs, and
     * distribution's bcrypt check on each of push-1000-repos' 5,000 requests about half a
     * minute, which the shorter runs pay back.
     */
    static final Profile QUICK = new Profile("quick", 2, List.of(MIB, 10 * MIB, 100 * MIB), 64 * MIB, 0, 2, 16,
            1_500, 1000, 1, 100, 100, 256 * MIB, 10, 10 * MIB, 2);
    /**
     * Every workload, longer and in three rounds, for numbers worth publishing. Pulls of 100 MiB
     * make 200 pulls in all (the budget alone would make 18, and their p99 would be the slowest
     * one), so the p99 is the third-slowest. skopeo's single copies run in nine rounds: skopeo
     * itself varies a copy's time by ±5 %, and a median of three flipped either side of 1.0×.
     */
    static final Profile FULL = new Profile("full", 3, List.of(MIB, 10 * MIB, 100 * MIB), 512 * MIB, 200, 4, 16,
            10_000, 1000, 3, 100, 100, 256 * MIB, 10, 10 * MIB, 9);
    /** Every workload at toy sizes: checks that the tool and the registries work, measures nothing. */
    static final Profile SMOKE = new Profile("smoke", 1, List.of(64 * KIB, 256 * KIB, MIB), 2 * MIB, 0, 2, 4,
            300, 20, 1, 10, 20, 4 * MIB, 10, 256 * KIB, 1);

    static Profile named(String name) {
        return switch (name) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            case "smoke" -> SMOKE;
            default -> throw new IllegalArgumentException("no profile '" + name + "' (quick, full or smoke)");
        };
    }

    /**
     * The same profile with {@code clients} concurrent clients in every workload but the
     * contention one (whose point is its hundred); 0 keeps the profile's own.
     */
    Profile withClients(int clients) {
        return clients <= 0 ? this : new Profile(name, rounds, sizes, budgetBytes, pullSamples, clients, clients,
                timedMillis, repos, reposRounds, contention, tags, skopeoLayer, skopeoLayers, skopeoSmallLayer, skopeoRounds);
    }

    /**
     * The same profile with {@code rounds} rounds of every workload, skopeo's copies included (the
     * many-repositories workload keeps to its own fewer); 0 keeps the profile's own. More rounds
     * make a larger sample of one workload: {@code --only skopeo-pull-256MiB --rounds 30}.
     */
    Profile withRounds(int rounds) {
        return rounds <= 0 ? this : new Profile(name, rounds, sizes, budgetBytes, pullSamples, blobClients,
                requestClients, timedMillis, repos, reposRounds, contention, tags, skopeoLayer, skopeoLayers,
                skopeoSmallLayer, rounds);
    }

    /** A size as the workload names show it: 1MiB, 256KiB. */
    static String label(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + "MiB" : bytes / KIB + "KiB";
    }

    /** Operations of one run at a blob size: the byte budget's worth, at least one per client. */
    int opsFor(long size) {
        return (int) Math.max(blobClients, (budgetBytes + size - 1) / size);
    }

    /**
     * Pulls of one run at a blob size: the budget's worth, or more where that would leave the
     * workload's rounds fewer than {@link #pullSamples} pulls in all.
     */
    int pullsFor(long size) {
        return Math.max(opsFor(size), (pullSamples + rounds - 1) / rounds);
    }
}
