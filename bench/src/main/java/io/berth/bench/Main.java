package io.berth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar berth-bench.jar --target NAME=URL ...}: benchmarks one or more OCI registries
 * side by side (see {@link #USAGE}). {@code ./berth bench} runs it against berth and CNCF
 * distribution with the right processes and names.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar bench/target/berth-bench.jar --target NAME=URL [--target NAME=URL ...] [options]

              --target NAME=URL          a registry to drive (repeatable); the first is the one the
                                         targets are checked for
              --user NAME=USER:PASSWORD  credentials for a registry (Basic, or the Docker token flow);
                                         also what manifest-get-basic sends, which runs only
                                         against registries that have them
              --admin NAME=USER:PASSWORD an administrator's credentials, for the catalog where the
                                         registry keeps it to administrators (berth)
              --procs NAME=LABEL:PID,... a registry's processes, for CPU seconds and peak memory
              --describe NAME=TEXT       what a registry is, for the report
              --reference NAME           the registry the targets compare with (default: distribution)
              --pair NAME=REFERENCE      also check NAME's targets against REFERENCE (repeatable),
                                         e.g. berth on another backend against distribution on it
              --blobs-only NAME,...      these registries run only the workloads that move blob
                                         bytes (push-, pull-, skopeo-)
              --token-robot NAME=USER:PASSWORD
                                         a robot's credentials for the token-robot workload:
                                         token requests to NAME's token service (only where given)
              --token-user NAME=USER:PASSWORD
                                         a user's credentials for the token-user workload
              --token-url NAME=URL       NAME's token endpoint with its service, e.g.
                                         http://127.0.0.1:5000/service/token?service=berth
                                         (default: the realm and service of its Bearer challenge)
              --token-procs NAME=LABEL:PID,...
                                         the processes the token workloads meter (auth, gateway)
              --profile quick|full|smoke how much of each workload (default: full)
              --clients N                N concurrent clients in every workload (default: the
                                         profile's, 2 to 16; the contention workload keeps 100)
              --rounds N                 N rounds of every workload, skopeo's copies included
                                         (default: the profile's, 1 to 9)
              --namespace NS             the repository namespace (default: bench-<epoch seconds>)
              --only PREFIX,...          only the workloads whose names start so
              --skip PREFIX,...          not the workloads whose names start so
              --out FILE                 write the JSON report there as well
              --trace FILE               one line per blob download: registry, the connection's
                                         local port, bytes, start and duration in ms
              --command TEXT             the command line to record in the report
              --fail-on-errors           exit with 3 when any registry had any error
              --no-warm-up               skip the uncounted first pass (small pushes and pulls,
                                         manifest GET by tag): for runs that follow a warm-up

            Exit codes: 0 done (targets met or not), 1 the benchmark could not run (what was
            being done is printed), 2 a usage mistake, 3 errors with --fail-on-errors.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        Logger.getLogger("io.vertx").setLevel(Level.WARNING);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        int code = 0;
        try (Trace trace = Trace.to(options.trace)) {
            long errors = run(options, vertx, trace);
            if (options.failOnErrors && errors > 0) {
                System.err.println("bench: " + errors + " operations failed");
                code = 3;
            }
        } catch (BenchException | IOException e) {
            System.err.println("bench: " + e.getMessage());
            code = 1;
        } finally {
            vertx.close();
        }
        System.exit(code);
    }

    /**
     * The token service of a target, when a token workload has credentials for it: the
     * {@code --token-url} given, or else the realm and service of the Bearer challenge its
     * {@code GET /v2/} answers, as a client finds it. A registry that gives no such challenge and
     * no URL stops the benchmark, saying so.
     */
    static Target.Tokens tokens(Options o, String name, Registry registry) {
        Map<String, String> credentials = new LinkedHashMap<>();
        if (o.tokenRobots.containsKey(name)) {
            credentials.put("robot", o.tokenRobots.get(name));
        }
        if (o.tokenUsers.containsKey(name)) {
            credentials.put("user", o.tokenUsers.get(name));
        }
        if (credentials.isEmpty()) {
            return Target.Tokens.NONE;
        }
        URI given = o.tokenUrls.get(name);
        if (given != null) {
            return new Target.Tokens(given.toString(), credentials, o.tokenProcs.getOrDefault(name, Map.of()));
        }
        Challenge c = Workloads.within(registry.http().challenge(), 30);
        if (c == null || !c.isBearer() || c.realm() == null) {
            throw new BenchException(name + " answers GET /v2/ without a Bearer challenge, so its token service is"
                    + " unknown: give it with --token-url " + name + "=URL");
        }
        String service = c.params().get("service");
        String url = service == null ? c.realm() : c.realm() + (c.realm().contains("?") ? "&" : "?") + "service="
                + java.net.URLEncoder.encode(service, java.nio.charset.StandardCharsets.UTF_8);
        return new Target.Tokens(url, credentials, o.tokenProcs.getOrDefault(name, Map.of()));
    }

    /** Runs the benchmark; gives the number of failed operations, all registries together. */
    private static long run(Options o, Vertx vertx, Trace trace) throws IOException {
        Instant started = Instant.now();
        long runId = started.toEpochMilli();
        String ns = o.namespace != null ? o.namespace : "bench-" + started.getEpochSecond();
        Profile profile = o.profile;
        int connections = Math.max(profile.contention(), 2 * profile.requestClients());
        List<Target> targets = new ArrayList<>();
        Map<String, ObjectNode> registries = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (Map.Entry<String, URI> t : o.targets.entrySet()) {
            String name = t.getKey();
            String credentials = o.users.get(name);
            Map<String, Long> procs = o.procs.getOrDefault(name, Map.of());
            Registry registry = new Registry(new HttpSession(vertx, t.getValue(), credentials, connections, trace, name));
            String admin = o.admins.get(name);
            Registry asAdmin = admin == null ? null
                    : new Registry(new HttpSession(vertx, t.getValue(), admin, connections, Trace.OFF, name));
            targets.add(new Target(name, t.getValue(), credentials, procs, registry, tokens(o, name, registry), asAdmin));
            ObjectNode r = mapper.createObjectNode().put("url", t.getValue().toString())
                    .put("description", o.descriptions.getOrDefault(name, ""));
            r.set("processes", mapper.valueToTree(procs.keySet()));
            registries.put(name, r);
        }

        Path work = Files.createTempDirectory("berth-bench-");
        try {
            Workloads http = new Workloads(profile, ns, runId);
            List<Workload> all = new ArrayList<>(http.all());
            all.addAll(new SkopeoWorkloads(work, ns).all(profile, runId));
            // A workload no registry takes part in (token-robot without --token-robot) is left out,
            // not shown as a row of nothing.
            List<Workload> selected = all.stream().filter(w -> o.selects(w.name()))
                    .filter(w -> targets.stream().anyMatch(w::appliesTo)).toList();
            if (selected.isEmpty()) {
                throw new BenchException("no workload matches --only/--skip");
            }
            // No warm-up of its own for the credential workloads: by the time they run, every push
            // into a new repository has asked the token service for a token, and the manifest
            // reads have warmed /v2.
            // The small pushes too, chunked and whole: a registry that started for this run (berth_fs)
            // would otherwise pay its JIT's warm-up in the first workload, push-1MiB, alone.
            List<Workload> warmUp = profile.name().equals("smoke") || o.noWarmUp ? List.of() : all.stream()
                    .filter(w -> List.of("push-" + Profile.label(profile.sizes().get(0)),
                            "push-chunked-" + Profile.label(profile.sizes().get(0)),
                            "push-" + Profile.label(profile.sizes().get(1)), "pull-"
                            + Profile.label(profile.sizes().get(1)), "manifest-get-tag").contains(w.name()))
                    .toList();
            System.err.printf("bench: %d workloads, profile %s, %d round(s), namespace %s%n", selected.size(),
                    profile.name(), profile.rounds(), ns);
            Map<String, String> pairs = new LinkedHashMap<>();
            pairs.put(targets.get(0).name(), o.reference);
            o.pairs.forEach(pairs::putIfAbsent);
            Report report = new Bench(targets, System.err, o.blobsOnly).run(http, selected, warmUp, profile.rounds(), pairs);
            report.print(System.out);

            Map<String, Object> run = new LinkedHashMap<>();
            run.put("command", o.command != null ? o.command : "java -jar berth-bench.jar " + o.commandLine());
            run.put("profile", profile.name());
            run.put("rounds", profile.rounds());
            run.put("namespace", ns);
            run.put("started", started.toString());
            run.put("seconds", Math.round((System.currentTimeMillis() - runId) / 100.0) / 10.0);
            run.put("reference", o.reference);
            if (!o.pairs.isEmpty()) {
                run.put("pairs", o.pairs);
            }
            ObjectNode json = report.json(mapper, Machine.describe(), run, registries);
            if (o.out != null) {
                Report.write(mapper, json, o.out);
                System.err.println("bench: wrote " + o.out);
            }
            return report.rows().stream().flatMap(r -> r.byTarget().values().stream()).mapToLong(Summary::errors).sum();
        } finally {
            SkopeoWorkloads.delete(work);
            targets.forEach(t -> {
                t.registry().http().close();
                if (t.admin() != null) {
                    t.admin().http().close();
                }
            });
        }
    }
}
