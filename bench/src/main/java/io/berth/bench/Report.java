package io.berth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results: a table on stdout, the JSON of {@code .berth/bench/latest.json}, and the targets of
 * issue #7 checked for the first registry against the reference one (CNCF distribution on the
 * same object store). A missed target is printed as MISSED, not left for the reader to spot.
 */
final class Report {

    /** A workload's summaries, by registry name in the order the registries were given. */
    record Row(Workload workload, Map<String, Summary> byTarget) {
    }

    /** One target of one workload for one registry (the subject), met or not, with the numbers that decided it. */
    record Check(String subject, String workload, String target, boolean met, String detail) {
    }

    /**
     * A copy is paced by its client when the client's own CPU is at least this share of the copy's
     * wall time on both registries: a registry can then change only the rest, and a ratio near
     * 1.0x is a tie that the client's variance decides (docs/benchmarks.md).
     */
    static final double CLIENT_BOUND = 0.85;

    private final List<String> targets;
    private final String reference;
    /** Who is checked against whom, subject → reference; the first registry first. */
    private final Map<String, String> pairs;
    private final List<Row> rows = new ArrayList<>();

    Report(List<String> targets, String reference) {
        this(targets, Map.of(targets.get(0), reference));
    }

    /**
     * @param pairs subject → reference: the first registry against its reference, and any other
     *        registry against one of its own (berth on a filesystem against distribution on one)
     */
    Report(List<String> targets, Map<String, String> pairs) {
        this.targets = targets;
        this.pairs = new LinkedHashMap<>();
        this.pairs.put(targets.get(0), pairs.getOrDefault(targets.get(0), "distribution"));
        pairs.forEach(this.pairs::putIfAbsent);
        this.reference = this.pairs.get(targets.get(0));
    }

    /** Whether {@code subject} was compared with {@code other}: both ran, and they are two. */
    private boolean compares(String subject, String other) {
        return targets.contains(other) && targets.contains(subject) && !subject.equals(other);
    }

    /** The registry a column's ratio is taken against: its pair's subject, or the first registry. */
    private String subjectFor(String target) {
        return pairs.entrySet().stream().filter(p -> p.getValue().equals(target) && !p.getKey().equals(targets.get(0)))
                .map(Map.Entry::getKey).findFirst().orElse(targets.get(0));
    }

    void add(Workload workload, Map<String, List<Measurement>> runs) {
        Map<String, Summary> byTarget = new LinkedHashMap<>();
        for (String t : targets) {
            byTarget.put(t, Summary.of(workload.unit(), runs.getOrDefault(t, List.of())));
        }
        rows.add(new Row(workload, byTarget));
    }

    List<Row> rows() {
        return rows;
    }

    /** How many times better the first registry is than {@code other} (above 1: better), whatever the unit. */
    static double ratio(Unit unit, double subject, double other) {
        return unit.higherIsBetter ? subject / other : other / subject;
    }

    /**
     * The targets of issue #19 for the first registry's token service, which no other registry
     * has: absolute numbers, not ratios (16 clients on the 2-core machine).
     */
    static final double TOKEN_ROBOT_MIN_RPS = 1000;
    static final double TOKEN_ROBOT_MAX_P99_MS = 20;

    /**
     * The targets for the first registry: against the reference where both ran a
     * workload (none without a reference), and its own absolute ones (the token service's),
     * which are checked with or without a reference.
     */
    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        pairs.forEach((subject, other) -> checks.addAll(checks(subject, other)));
        return checks;
    }

    /** The targets of {@code subject} against {@code reference} (its own ones too, for the first registry). */
    private List<Check> checks(String subject, String reference) {
        List<Check> checks = new ArrayList<>();
        boolean first = subject.equals(targets.get(0));
        boolean compared = compares(subject, reference);
        for (Row row : rows) {
            String name = row.workload().name();
            Unit unit = row.workload().unit();
            Summary s = row.byTarget().get(subject);
            if (s == null || !ran(s)) {
                continue;
            }
            // Its own targets hold whoever else ran: also with berth alone (--only token).
            if (own(row)) {
                if (first) {
                    checks.addAll(ownTargets(subject, name, s));
                    checks.add(zeroErrors(subject, name, s));
                }
                continue;
            }
            Summary d = compared ? row.byTarget().get(reference) : null;
            if (d == null || !ran(d)) {
                continue;
            }
            double ratio = ratio(unit, s.value(), d.value());
            String vs = String.format("%s %s vs %s", fmt(s.value()), unit.label, fmt(d.value()));
            if (name.equals("manifest-get-basic")) {
                checks.add(new Check(subject, name, "requests/s at least 10x " + reference, ratio >= 10.0, fmt(ratio) + "x: " + vs));
            } else if (name.startsWith("manifest-get")) {
                checks.add(new Check(subject, name, "requests/s at least 2.0x " + reference, ratio >= 2.0, fmt(ratio) + "x: " + vs));
            } else if (Bench.movesBlobs(name)) {
                checks.add(new Check(subject, name, "throughput at least 1.0x " + reference, ratio >= 1.0,
                        fmt(ratio) + "x: " + vs + clientPace(s, d) + apart(s, d)));
            }
            if (row.workload().underLoad()) {
                checks.add(new Check(subject, name, "p99 no worse than " + reference, s.p99() <= d.p99(),
                        String.format("%s ms vs %s ms", fmt(s.p99()), fmt(d.p99()))));
            }
            checks.add(zeroErrors(subject, name, s));
        }
        return checks;
    }

    /** The absolute targets of a workload only the first registry runs; none for most. */
    static List<Check> ownTargets(String subject, String name, Summary s) {
        if (!name.equals("token-robot")) {
            return List.of();
        }
        return List.of(
                new Check(subject, name, String.format("at least %.0f requests/s", TOKEN_ROBOT_MIN_RPS), s.value() >= TOKEN_ROBOT_MIN_RPS,
                        fmt(s.value()) + " req/s"),
                new Check(subject, name, String.format("p99 under %.0f ms", TOKEN_ROBOT_MAX_P99_MS), s.p99() < TOKEN_ROBOT_MAX_P99_MS,
                        fmt(s.p99()) + " ms"));
    }

    private static Check zeroErrors(String subject, String name, Summary s) {
        return new Check(subject, name, "zero errors", s.errors() == 0,
                s.errors() + " of " + s.ops() + (s.sampleErrors().isEmpty() ? "" : ": " + s.sampleErrors().get(0)));
    }

    /** Whether a registry ran the workload at all (it may not apply to it: {@link Workload#appliesTo}). */
    static boolean ran(Summary s) {
        return !s.values().isEmpty();
    }

    /** The workloads no other registry has a counterpart of: berth's token service. */
    static boolean ownWorkload(String name) {
        return name.startsWith("token-");
    }

    /**
     * Whether the row is the first registry's own: it ran the workload and no other registry did
     * (or could), so it is judged by its own targets and never by a ratio.
     */
    boolean own(Row row) {
        return ran(row.byTarget().get(targets.get(0))) && (ownWorkload(row.workload().name())
                || targets.size() > 1 && targets.stream().skip(1).noneMatch(t -> ran(row.byTarget().get(t))));
    }

    /**
     * What the client's own CPU was against each registry, when it was measured (skopeo's copies),
     * and whether it set the pace on both; empty otherwise. Wall time is each summary's median copy.
     */
    static String clientPace(Summary subject, Summary other) {
        double sc = subject.clientCpuSeconds();
        double oc = other.clientCpuSeconds();
        if (!Double.isFinite(sc) || !Double.isFinite(oc)) {
            return "";
        }
        boolean bound = sc >= CLIENT_BOUND * subject.value() && oc >= CLIENT_BOUND * other.value();
        return String.format("; client CPU %s of %s s vs %s of %s s%s", fmt(sc), fmt(subject.value()), fmt(oc),
                fmt(other.value()), bound ? ": the client sets the pace" : "");
    }

    /**
     * Whether the rounds tell the two registries apart ({@link Permutation}), when both ran enough
     * of them (skopeo's copies in the full profile); empty otherwise. It explains a result and does
     * not change it.
     */
    static String apart(Summary subject, Summary other) {
        double p = Permutation.rankSumP(subject.values(), other.values());
        if (!Double.isFinite(p)) {
            return "";
        }
        return String.format("; %d and %d rounds, rank-sum test p = %.2f: %s", finiteCount(subject),
                finiteCount(other), p, p < 0.05 ? "the rounds tell them apart" : "the rounds cannot tell them apart");
    }

    private static long finiteCount(Summary s) {
        return s.values().stream().filter(Double::isFinite).count();
    }

    void print(PrintStream out) {
        String subject = targets.get(0);
        StringBuilder head = new StringBuilder(String.format("%-28s %-9s", "workload", "unit"));
        for (String t : targets) {
            head.append(String.format(" %16s", t));
            if (!pairs.containsKey(t)) {
                head.append(String.format(" %7s", "ratio"));
            }
        }
        out.println(head);
        for (Row row : rows) {
            Unit unit = row.workload().unit();
            StringBuilder line = new StringBuilder(String.format("%-28s %-9s", row.workload().name(), unit.label));
            for (String t : targets) {
                boolean ran = ran(row.byTarget().get(t));
                double v = row.byTarget().get(t).value();
                line.append(String.format(" %16s", ran ? fmt(v) : "-"));
                if (!pairs.containsKey(t)) {
                    double s = row.byTarget().get(subjectFor(t)).value();
                    line.append(ran && Double.isFinite(s) ? String.format(" %6sx", fmt(ratio(unit, s, v))) : String.format(" %7s", "-"));
                }
            }
            out.println(line);
        }
        out.println();
        if (pairs.size() == 1) {
            out.println("ratio: how many times better " + subject + " is (above 1: " + subject + " is faster)");
        } else {
            out.println("ratio: how many times better the registry compared with the column is (above 1: it is faster): "
                    + String.join(", ", targets.stream().filter(t -> !pairs.containsKey(t))
                            .map(t -> subjectFor(t) + " for " + t).toList()));
        }
        List<Row> only = rows.stream().filter(this::own).toList();
        if (!only.isEmpty()) {
            out.println();
            out.println("only " + subject + " has these (no counterpart elsewhere), against their own targets:");
            for (Row row : only) {
                Summary s = row.byTarget().get(subject);
                List<Check> own = ownTargets(subject, row.workload().name(), s);
                String targetText = own.isEmpty() ? "no target of its own"
                        : "target: " + String.join(" and ", own.stream().map(Check::target).toList())
                                + (own.stream().allMatch(Check::met) ? ": met" : ": MISSED");
                out.printf("  %-26s %s %s, p99 %s ms; %s; %s%n", row.workload().name(), fmt(s.value()),
                        row.workload().unit().label, fmt(s.p99()), targetText,
                        s.errors() == 0 ? "no errors" : s.errors() + " of " + s.ops() + " failed: MISSED");
            }
        }
        out.println();
        out.println("p50 / p99 ms, errors, registry CPU s, peak RSS MiB (and the client's CPU s, where it is a process of its own)");
        for (Row row : rows) {
            StringBuilder line = new StringBuilder(String.format("%-28s", row.workload().name()));
            for (String t : targets) {
                Summary s = row.byTarget().get(t);
                if (!ran(s)) {
                    continue;
                }
                line.append(String.format("  %s: %s / %s, %d err, %s cpu, %s rss", t, fmt(s.p50()), fmt(s.p99()),
                        s.errors(), fmt(s.cpuTotal()), fmt(s.rssTotal())));
                if (Double.isFinite(s.clientCpuSeconds())) {
                    line.append(String.format(", client %s cpu", fmt(s.clientCpuSeconds())));
                }
            }
            out.println(line);
        }
        pairs.forEach((who, other) -> {
            List<Check> checks = checks(who, other);
            if (checks.isEmpty()) {
                return;
            }
            out.println();
            long missed = checks.stream().filter(c -> !c.met()).count();
            out.println("targets for " + who + (compares(who, other) ? " against " + other : "") + ": "
                    + (checks.size() - missed) + " met, "
                    + missed + " MISSED");
            for (Check c : checks) {
                if (!c.met()) {
                    out.printf("  MISSED  %-28s %s (%s)%n", c.workload(), c.target(), c.detail());
                }
            }
        });
    }

    /** The JSON document: machine, command, registries, workloads, targets. */
    ObjectNode json(ObjectMapper mapper, Map<String, Object> machine, Map<String, Object> run,
            Map<String, ObjectNode> registries) {
        ObjectNode root = mapper.createObjectNode();
        root.set("machine", mapper.valueToTree(machine));
        root.set("run", mapper.valueToTree(run));
        ObjectNode regs = root.putObject("registries");
        registries.forEach(regs::set);
        ArrayNode workloads = root.putArray("workloads");
        String subject = targets.get(0);
        for (Row row : rows) {
            Unit unit = row.workload().unit();
            ObjectNode w = workloads.addObject();
            w.put("name", row.workload().name());
            w.put("unit", unit.label);
            for (String t : targets) {
                number(w, t, row.byTarget().get(t).value());
            }
            w.put("higher_is_better", unit.higherIsBetter);
            if (compares(subject, reference)) {
                number(w, "ratio", ratio(unit, row.byTarget().get(subject).value(), row.byTarget().get(reference).value()));
            }
            // Every other pair's ratio, as ratio_<subject> (ratio_berth_fs: against distribution_fs).
            pairs.forEach((who, other) -> {
                if (!who.equals(subject) && compares(who, other)) {
                    number(w, "ratio_" + who, ratio(unit, row.byTarget().get(who).value(), row.byTarget().get(other).value()));
                }
            });
            if (own(row)) {
                w.put("only", subject);
            }
            ObjectNode detail = w.putObject("detail");
            row.byTarget().forEach((t, s) -> {
                if (!ran(s)) {
                    return;
                }
                ObjectNode d = detail.putObject(t);
                ArrayNode rounds = d.putArray("rounds");
                s.values().forEach(v -> {
                    if (Double.isFinite(v)) {
                        rounds.add(round(v));
                    } else {
                        rounds.addNull();
                    }
                });
                number(d, "req_per_s", s.reqPerSecond());
                number(d, "mb_per_s", s.mbPerSecond());
                number(d, "p50_ms", s.p50());
                number(d, "p90_ms", s.p90());
                number(d, "p99_ms", s.p99());
                d.put("ops", s.ops());
                d.put("errors", s.errors());
                ObjectNode cpu = d.putObject("cpu_seconds");
                s.cpuSeconds().forEach((k, v) -> number(cpu, k, v));
                if (Double.isFinite(s.clientCpuSeconds())) {
                    number(d, "client_cpu_seconds", s.clientCpuSeconds());
                }
                ObjectNode rss = d.putObject("rss_peak_mib");
                s.rssPeakMib().forEach((k, v) -> number(rss, k, v));
                ArrayNode errs = d.putArray("sample_errors");
                s.sampleErrors().forEach(errs::add);
            });
        }
        ArrayNode checks = root.putArray("targets");
        for (Check c : checks()) {
            checks.addObject().put("registry", c.subject()).put("workload", c.workload()).put("target", c.target()).put("met", c.met())
                    .put("detail", c.detail());
        }
        return root;
    }

    static void write(ObjectMapper mapper, ObjectNode json, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static void number(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, round(v));
        } else {
            node.putNull(field);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Four significant figures at most, without exponents. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format("%.0f", v);
        }
        if (a >= 100) {
            return String.format("%.1f", v);
        }
        if (a >= 10) {
            return String.format("%.2f", v);
        }
        return String.format("%.3f", v);
    }
}
