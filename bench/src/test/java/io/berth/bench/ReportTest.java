package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** A run that moved {@code mb} MB in one second with {@code ops} operations of {@code ms} each. */
    private static Measurement run(double mb, int ops, long ms, int errors) {
        Latencies l = new Latencies();
        for (int i = 0; i < ops; i++) {
            l.add(ms * 1_000_000);
        }
        return new Measurement(ops, errors, (long) (mb * 1e6), 1.0, l, Map.of("p", 0.5), Map.of("p", 100.0),
                errors > 0 ? List.of("boom") : List.of());
    }

    /** One copy of {@code seconds} whose client used {@code clientCpu} seconds of CPU. */
    private static Measurement copy(double seconds, double clientCpu) {
        Latencies l = new Latencies();
        l.add((long) (seconds * 1e9));
        return new Measurement(1, 0, 268_435_456L, seconds, l, Map.of("p", 0.1), Map.of("p", 100.0), List.of(),
                clientCpu);
    }

    private static Workload workload(String name, Unit unit, boolean underLoad) {
        return new Workload() {
            public String name() {
                return name;
            }

            public Unit unit() {
                return unit;
            }

            public boolean underLoad() {
                return underLoad;
            }

            public Measurement run(Target target, int round) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static Map<String, List<Measurement>> runs(Measurement berth, Measurement distribution) {
        Map<String, List<Measurement>> m = new LinkedHashMap<>();
        m.put("berth", List.of(berth));
        m.put("distribution", List.of(distribution));
        return m;
    }

    private static Report.Check check(Report report, String workload, String target) {
        return report.checks().stream().filter(c -> c.workload().equals(workload) && c.target().startsWith(target))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + target + " for " + workload));
    }

    @Test
    void theRatioIsHowManyTimesBetterWhicheverWayTheUnitPoints() {
        assertEquals(2.0, Report.ratio(Unit.MB_PER_S, 200, 100));
        assertEquals(2.0, Report.ratio(Unit.SECONDS, 1, 2));
        assertEquals(0.5, Report.ratio(Unit.SECONDS, 2, 1));
    }

    @Test
    void eachTargetOfTheIssueIsCheckedAndAMissIsAMiss() {
        Report report = new Report(List.of("berth", "distribution"), "distribution");
        report.add(workload("push-1MiB", Unit.MB_PER_S, true), runs(run(99, 10, 5, 0), run(100, 10, 4, 0)));
        report.add(workload("manifest-get-tag", Unit.REQ_PER_S, true), runs(run(0, 1999, 1, 0), run(0, 1000, 2, 0)));
        report.add(workload("pull-1MiB", Unit.MB_PER_S, true), runs(run(300, 10, 3, 1), run(100, 10, 3, 0)));
        report.add(workload("skopeo-push-256MiB", Unit.SECONDS, false), runs(run(268, 1, 900, 0), run(268, 1, 1000, 0)));

        assertFalse(check(report, "push-1MiB", "throughput").met(), "0.99x is below 1.0x");
        assertFalse(check(report, "push-1MiB", "p99").met(), "5 ms is worse than 4 ms");
        assertFalse(check(report, "manifest-get-tag", "requests/s").met(), "1999 is below 2x 1000");
        assertTrue(check(report, "manifest-get-tag", "p99").met());
        assertTrue(check(report, "pull-1MiB", "throughput").met());
        assertFalse(check(report, "pull-1MiB", "zero errors").met());
        assertTrue(check(report, "skopeo-push-256MiB", "throughput").met(), "0.9 s beats 1.0 s");
        assertTrue(report.checks().stream().noneMatch(c -> c.workload().startsWith("skopeo") && c.target().startsWith("p99")),
                "one copy at a time has no p99 under load");
    }

    @Test
    void theJsonHasTheIssuesShapeAndTheTableSaysWhatWasMissed() throws Exception {
        Report report = new Report(List.of("berth", "distribution"), "distribution");
        report.add(workload("push-100MiB", Unit.MB_PER_S, true), runs(run(123.4, 2, 800, 0), run(98.7, 2, 1000, 0)));
        report.add(workload("manifest-get-tag", Unit.REQ_PER_S, true), runs(run(0, 1000, 1, 0), run(0, 1000, 2, 0)));
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = report.json(mapper, Map.of("cpus", 2), Map.of("command", "./berth bench"), Map.of());
        JsonNode push = json.path("workloads").get(0);
        assertEquals("push-100MiB", push.path("name").asText());
        assertEquals("MB/s", push.path("unit").asText());
        assertEquals(123.4, push.path("berth").asDouble(), 1e-9);
        assertEquals(98.7, push.path("distribution").asDouble(), 1e-9);
        assertTrue(push.path("higher_is_better").asBoolean());
        assertEquals(2, json.path("machine").path("cpus").asInt());
        assertEquals(1000.0, push.path("detail").path("distribution").path("p99_ms").asDouble());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("MISSED  manifest-get-tag") && table.contains("requests/s at least 2.0x"), table);
        assertFalse(table.contains("MISSED  push-100MiB"), table);
    }

    @Test
    void theMedianOfRoundsIsTheValue() {
        assertEquals(2.0, Summary.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Summary.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(Summary.median(List.of())));
    }

    @Test
    void aCopyPacedByItsClientSaysSoAndIsStillJudgedByItsRatio() throws Exception {
        Report report = new Report(List.of("berth", "distribution"), "distribution");
        // skopeo busy for 0.80 of 0.89 s and 0.78 of 0.87 s: a miss, and the client set the pace.
        report.add(workload("skopeo-pull-256MiB", Unit.SECONDS, false), runs(copy(0.89, 0.80), copy(0.87, 0.78)));
        // A client busy for half the copy did not set the pace.
        report.add(workload("skopeo-push-256MiB", Unit.SECONDS, false), runs(copy(0.90, 0.45), copy(1.0, 0.9)));
        report.add(workload("pull-1MiB", Unit.MB_PER_S, true), runs(run(300, 10, 3, 0), run(100, 10, 3, 0)));

        Report.Check pull = check(report, "skopeo-pull-256MiB", "throughput");
        assertFalse(pull.met(), "0.89 s against 0.87 s is a miss, whoever set the pace");
        assertTrue(pull.detail().contains("client CPU 0.800 of 0.890 s vs 0.780 of 0.870 s: the client sets the pace"),
                pull.detail());
        Report.Check push = check(report, "skopeo-push-256MiB", "throughput");
        assertTrue(push.met());
        assertTrue(push.detail().contains("client CPU 0.450 of 0.900 s") && !push.detail().contains("pace"), push.detail());
        assertFalse(check(report, "pull-1MiB", "throughput").detail().contains("client"),
                "the benchmark's own HTTP clients are not measured apart");

        JsonNode json = report.json(new ObjectMapper(), Map.of(), Map.of(), Map.of());
        assertEquals(0.8, json.path("workloads").get(0).path("detail").path("berth").path("client_cpu_seconds").asDouble(), 1e-9);
        assertTrue(json.path("workloads").get(2).path("detail").path("berth").path("client_cpu_seconds").isMissingNode());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("MISSED  skopeo-pull-256MiB") && table.contains("the client sets the pace"), table);
    }

    @Test
    void aMissWithinTheRoundsSpreadSaysSoAndIsStillAMiss() {
        Report report = new Report(List.of("berth", "distribution"), "distribution");
        // Nine copies each, interleaved: berth's median 0.90 s against 0.89 s.
        report.add(workload("skopeo-pull-256MiB", Unit.SECONDS, false), rounds(
                List.of(0.86, 0.87, 0.88, 0.89, 0.90, 0.91, 0.92, 0.93, 0.94),
                List.of(0.85, 0.86, 0.87, 0.88, 0.89, 0.90, 0.91, 0.92, 0.93)));
        // Nine each, every berth copy slower than every distribution copy.
        report.add(workload("skopeo-pull-10-layers", Unit.SECONDS, false), rounds(
                List.of(0.30, 0.31, 0.31, 0.32, 0.32, 0.33, 0.33, 0.34, 0.35),
                List.of(0.25, 0.25, 0.26, 0.26, 0.27, 0.27, 0.28, 0.28, 0.29)));
        // Three rounds each show nothing either way.
        report.add(workload("pull-1MiB", Unit.MB_PER_S, true), Map.of(
                "berth", List.of(run(90, 10, 3, 0), run(91, 10, 3, 0), run(92, 10, 3, 0)),
                "distribution", List.of(run(100, 10, 3, 0), run(101, 10, 3, 0), run(102, 10, 3, 0))));

        Report.Check tie = check(report, "skopeo-pull-256MiB", "throughput");
        assertFalse(tie.met(), "0.90 s against 0.89 s is a miss");
        assertTrue(tie.detail().contains("9 and 9 rounds, rank-sum test p = ")
                && tie.detail().endsWith("the rounds cannot tell them apart"), tie.detail());
        Report.Check slower = check(report, "skopeo-pull-10-layers", "throughput");
        assertFalse(slower.met());
        assertTrue(slower.detail().endsWith("p = 0.00: the rounds tell them apart"), slower.detail());
        assertFalse(check(report, "pull-1MiB", "throughput").detail().contains("rank-sum"),
                check(report, "pull-1MiB", "throughput").detail());
    }

    /** One copy per round, the client's CPU not measured. */
    private static Map<String, List<Measurement>> rounds(List<Double> berth, List<Double> distribution) {
        Map<String, List<Measurement>> m = new LinkedHashMap<>();
        m.put("berth", berth.stream().map(s -> copy(s, Double.NaN)).toList());
        m.put("distribution", distribution.stream().map(s -> copy(s, Double.NaN)).toList());
        return m;
    }

    /** Runs of the first registry alone: the others did not take part (no token service). */
    private static Map<String, List<Measurement>> berthOnly(Measurement berth) {
        return Map.of("berth", List.of(berth));
    }

    @Test
    void theTokenServiceIsBerthsAloneAndJudgedByItsOwnTargets() throws Exception {
        Report report = new Report(List.of("berth", "distribution", "distribution_fs"), "distribution");
        // 1,200 requests in one second at 5 ms: both targets met.
        report.add(workload("token-robot", Unit.REQ_PER_S, true), berthOnly(run(0, 1200, 5, 0)));
        // 90 requests at 180 ms: no target but zero errors.
        report.add(workload("token-user", Unit.REQ_PER_S, true), berthOnly(run(0, 90, 180, 0)));
        report.add(workload("manifest-get-tag", Unit.REQ_PER_S, true), Map.of(
                "berth", List.of(run(0, 3000, 1, 0)), "distribution", List.of(run(0, 1000, 2, 0)),
                "distribution_fs", List.of(run(0, 1000, 2, 0))));

        assertTrue(check(report, "token-robot", "at least 1000 requests/s").met());
        assertTrue(check(report, "token-robot", "p99 under 20 ms").met());
        assertTrue(check(report, "token-user", "zero errors").met());
        assertTrue(report.checks().stream().noneMatch(c -> c.workload().startsWith("token")
                && (c.target().contains("distribution") || c.target().startsWith("requests/s"))),
                "nothing of the token service is compared with distribution: " + report.checks());
        assertEquals(1, report.checks().stream().filter(c -> c.workload().equals("token-user")).count(), "no target but zero errors");

        JsonNode json = report.json(new ObjectMapper(), Map.of(), Map.of(), Map.of());
        JsonNode robot = json.path("workloads").get(0);
        assertEquals(1200.0, robot.path("berth").asDouble(), 1e-9);
        assertTrue(robot.path("distribution").isNull() && robot.path("distribution_fs").isNull() && robot.path("ratio").isNull(),
                robot.toString());
        assertEquals("berth", robot.path("only").asText());
        assertTrue(robot.path("detail").path("distribution").isMissingNode());
        assertTrue(json.path("workloads").get(2).path("only").isMissingNode());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("only berth has these"), table);
        assertTrue(table.contains("target: at least 1000 requests/s and p99 under 20 ms: met; no errors"), table);
        assertTrue(table.matches("(?s).*token-user +90\\.00 req/s, p99 180\\.0 ms; no target.*"), table);
        assertFalse(table.contains("  MISSED  ") || table.contains(": MISSED"), table);
    }

    @Test
    void aSlowTokenServiceMissesEitherTarget() {
        Report report = new Report(List.of("berth", "distribution"), "distribution");
        report.add(workload("token-robot", Unit.REQ_PER_S, true), berthOnly(run(0, 999, 5, 0)));
        assertFalse(check(report, "token-robot", "at least 1000").met(), "999 requests/s");
        assertTrue(check(report, "token-robot", "p99 under").met());

        // berth alone (./berth bench --only token): the absolute targets still hold, the others need a reference.
        Report alone = new Report(List.of("berth"), "distribution");
        alone.add(workload("token-robot", Unit.REQ_PER_S, true), berthOnly(run(0, 5000, 20, 0)));
        alone.add(workload("push-1MiB", Unit.MB_PER_S, true), berthOnly(run(100, 10, 5, 0)));
        alone.add(workload("token-user", Unit.REQ_PER_S, true), berthOnly(run(0, 20, 5, 3)));
        assertTrue(check(alone, "token-robot", "at least 1000").met());
        assertFalse(check(alone, "token-robot", "p99 under").met(), "a p99 of 20 ms is not under 20 ms");
        assertTrue(check(alone, "token-robot", "zero errors").met());
        assertFalse(check(alone, "token-user", "zero errors").met(), "3 of 20 refused");
        assertTrue(alone.checks().stream().noneMatch(c -> c.workload().equals("push-1MiB")), alone.checks().toString());
    }

    @Test
    void basicCredentialsOnEveryManifestGetMustBeTenTimesDistribution() throws Exception {
        Report report = new Report(List.of("berth", "distribution"), "distribution");
        report.add(workload("manifest-get-basic", Unit.REQ_PER_S, true), runs(run(0, 9990, 1, 0), run(0, 1000, 16, 0)));
        report.add(workload("manifest-get-tag", Unit.REQ_PER_S, true), runs(run(0, 9990, 1, 0), run(0, 1000, 16, 0)));
        Report.Check basic = check(report, "manifest-get-basic", "requests/s");
        assertFalse(basic.met(), "9.99x is below 10x");
        assertEquals("requests/s at least 10x distribution", basic.target());
        assertTrue(check(report, "manifest-get-tag", "requests/s at least 2.0x").met());
        assertTrue(check(report, "manifest-get-basic", "p99").met());

        // berth refused the Basic credentials (before registry-api took them): one error, a miss, said plainly.
        Report refused = new Report(List.of("berth", "distribution"), "distribution");
        Latencies one = new Latencies();
        one.add(2_000_000);
        refused.add(workload("manifest-get-basic", Unit.REQ_PER_S, true), runs(new Measurement(1, 1, 0, 0.002, one,
                Map.of(), Map.of(), List.of("GET /v2/p/manifests/manifests/latest: 401 (WWW-Authenticate: Bearer realm=...)")),
                run(0, 1000, 16, 0)));
        assertFalse(check(refused, "manifest-get-basic", "requests/s").met());
        Report.Check errors = check(refused, "manifest-get-basic", "zero errors");
        assertFalse(errors.met());
        assertTrue(errors.detail().contains("1 of 1: GET /v2/p/manifests/manifests/latest: 401"), errors.detail());
    }

    @Test
    void aSecondBackendIsCheckedAgainstItsOwnReferenceAndNotAgainstTheFirst() throws Exception {
        List<String> names = List.of("berth", "distribution", "berth_fs", "distribution_fs");
        Report report = new Report(names, Map.of("berth", "distribution", "berth_fs", "distribution_fs"));
        Map<String, List<Measurement>> push = new LinkedHashMap<>();
        push.put("berth", List.of(run(100, 10, 4, 0)));
        push.put("distribution", List.of(run(90, 10, 5, 0)));
        push.put("berth_fs", List.of(run(80, 10, 4, 0)));
        push.put("distribution_fs", List.of(run(100, 10, 5, 0)));
        report.add(workload("push-1MiB", Unit.MB_PER_S, true), push);
        // The second backend ran only what moves blob bytes: no manifest targets for it.
        report.add(workload("manifest-get-tag", Unit.REQ_PER_S, true), runs(run(0, 3000, 1, 0), run(0, 1000, 2, 0)));

        Report.Check first = report.checks().stream()
                .filter(c -> c.subject().equals("berth") && c.target().startsWith("throughput")).findFirst().orElseThrow();
        Report.Check second = report.checks().stream()
                .filter(c -> c.subject().equals("berth_fs") && c.target().startsWith("throughput")).findFirst().orElseThrow();
        assertTrue(first.met(), first.toString());
        assertEquals("throughput at least 1.0x distribution", first.target());
        assertFalse(second.met(), "80 against distribution_fs's 100 is a miss, whatever distribution did: " + second);
        assertEquals("throughput at least 1.0x distribution_fs", second.target());
        assertTrue(report.checks().stream().noneMatch(c -> c.subject().equals("berth_fs") && c.workload().startsWith("manifest")),
                report.checks().toString());

        JsonNode push1 = report.json(new ObjectMapper(), Map.of(), Map.of(), Map.of()).path("workloads").get(0);
        assertEquals(100.0 / 90, push1.path("ratio").asDouble(), 1e-3);
        assertEquals(0.8, push1.path("ratio_berth_fs").asDouble(), 1e-3);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("targets for berth against distribution: "), table);
        assertTrue(table.contains("targets for berth_fs against distribution_fs: 2 met, 1 MISSED"), table);
        // distribution_fs's ratio column is berth_fs's, not berth's (which would say 1.000x).
        assertTrue(table.matches("(?s).*push-1MiB .* 100\\.0 +0\\.800x\\n.*"), table);
    }
}
