package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The workloads of issue #19 (Basic credentials on every manifest GET, token requests) and their
 * wiring, against small Vert.x servers that play a registry and a token service.
 */
class WorkloadsTest {

    private static final String NS = "ns";
    private static final String MANIFEST_PATH = "/v2/ns/manifests/manifests/latest";

    private final Vertx vertx = Vertx.vertx();
    private final List<Target> targets = new ArrayList<>();

    @AfterEach
    void close() {
        targets.forEach(t -> t.registry().http().close());
        vertx.close();
    }

    /** A server on a free loopback port; gives its base URL. */
    private URI serve(Handler<HttpServerRequest> handler) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(handler);
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    private Target target(URI url, String credentials, Target.Tokens tokens) {
        Registry registry = new Registry(new HttpSession(vertx, url, credentials, 8, Trace.OFF, "t"));
        Target t = new Target("t", url, credentials, Map.of(), registry, tokens, null);
        targets.add(t);
        return t;
    }

    private static Workload named(String name) {
        return new Workloads(Profile.SMOKE, NS, 1).all().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name));
    }

    @Test
    void everyProfileRunsTheNewWorkloadsAmongItsTwentyFive() {
        for (Profile p : List.of(Profile.SMOKE, Profile.QUICK, Profile.FULL)) {
            List<String> names = new ArrayList<>(new Workloads(p, NS, 1).all().stream().map(Workload::name).toList());
            new SkopeoWorkloads(Path.of("unused"), NS).all(p, 1).forEach(w -> names.add(w.name()));
            assertEquals(25, names.size(), p.name() + ": " + names);
            assertTrue(names.containsAll(List.of("manifest-get-basic", "token-robot", "token-user")), names.toString());
            assertEquals(names.size(), names.stream().distinct().count(), "names are unique");
        }
    }

    @Test
    void eachNewWorkloadRunsOnlyWhereItsCredentialsAre() {
        URI url = URI.create("http://127.0.0.1:1");
        Target open = target(url, null, Target.Tokens.NONE);
        Target robotOnly = target(url, "u:p", new Target.Tokens("http://h/service/token?service=berth",
                Map.of("robot", "robot$ns+ci:s"), Map.of()));
        assertTrue(named("push-64KiB").appliesTo(open));
        assertFalse(named("manifest-get-basic").appliesTo(open), "Basic needs credentials");
        assertFalse(named("token-robot").appliesTo(open));
        assertFalse(named("token-user").appliesTo(open));
        assertTrue(named("manifest-get-basic").appliesTo(robotOnly));
        assertTrue(named("token-robot").appliesTo(robotOnly));
        assertFalse(named("token-user").appliesTo(robotOnly), "no user's credentials given");
    }

    @Test
    void manifestGetBasicSendsTheCredentialsWithEveryRequestAndAsksForNoToken() throws Exception {
        String expected = HttpSession.basic("bench:secret");
        AtomicInteger with = new AtomicInteger();
        AtomicInteger without = new AtomicInteger();
        URI url = serve(req -> {
            if (req.path().equals(MANIFEST_PATH) && expected.equals(req.getHeader("Authorization"))) {
                with.incrementAndGet();
                req.response().putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json").end("{}");
            } else {
                without.incrementAndGet();
                req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"bench\"").end();
            }
        });
        Measurement m = named("manifest-get-basic").run(target(url, "bench:secret", Target.Tokens.NONE), 0);
        assertEquals(0, m.errors(), m.sampleErrors().toString());
        assertTrue(m.ops() > 1, m.ops() + " operations");
        assertEquals(0, without.get(), "no request went out without the credentials");
        assertEquals(m.ops() + 1, with.get(), "every operation, and the first untimed one");
    }

    @Test
    void manifestGetBasicStopsAtOnceSayingWhyWhenTheRegistryWantsATokenInstead() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        URI url = serve(req -> {
            requests.incrementAndGet();
            req.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:5000/service/token\",service=\"berth\"")
                    .end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        });
        Measurement m = named("manifest-get-basic").run(target(url, "robot$ns+ci:secret", Target.Tokens.NONE), 0);
        assertEquals(1, m.ops());
        assertEquals(1, m.errors());
        assertEquals(1, requests.get(), "one refusal is enough: the run does not repeat it");
        String why = m.sampleErrors().get(0);
        assertTrue(why.contains("GET " + MANIFEST_PATH + ": 401") && why.contains("WWW-Authenticate: Bearer realm="), why);
        assertEquals(0, m.opsPerSecond());
    }

    @Test
    void aTokenWorkloadAsksWithItsKindsCredentialsForAPullOfTheNamespace() throws Exception {
        String robot = HttpSession.basic("robot$ns+ci:secret");
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        URI url = serve(req -> {
            if (req.path().equals("/service/token") && "berth".equals(req.getParam("service"))
                    && "repository:ns/manifests:pull".equals(req.getParam("scope"))
                    && robot.equals(req.getHeader("Authorization"))) {
                granted.incrementAndGet();
                req.response().putHeader("Content-Type", "application/json").end("{\"token\":\"t\",\"expires_in\":300}");
            } else {
                refused.incrementAndGet();
                req.response().setStatusCode(401).end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"no\"}]}");
            }
        });
        Target.Tokens tokens = new Target.Tokens(url + "/service/token?service=berth",
                Map.of("robot", "robot$ns+ci:secret", "user", "developer:wrong"), Map.of());
        Target t = target(URI.create("http://127.0.0.1:1"), null, tokens);

        Measurement m = named("token-robot").run(t, 0);
        assertEquals(0, m.errors(), m.sampleErrors().toString());
        assertTrue(m.ops() > 1);
        assertEquals(0, refused.get());
        assertEquals(m.ops() + 1, granted.get());

        Measurement wrong = named("token-user").run(t, 0);
        assertEquals(1, wrong.ops(), "refused credentials end the run at once");
        assertEquals(1, wrong.errors());
        assertTrue(wrong.sampleErrors().get(0).contains("401"), wrong.sampleErrors().toString());
    }

    @Test
    void theCatalogIsReadAsTheAdministratorWhereOneIsGiven() throws Exception {
        String admin = HttpSession.basic("admin:pw");
        URI url = serve(req -> {
            if (req.path().equals("/v2/_catalog") && admin.equals(req.getHeader("Authorization"))) {
                req.response().putHeader("Content-Type", "application/json").end("{\"repositories\":[\"ns/a\"]}");
            } else {
                req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"r\"").end();
            }
        });
        Registry asAdmin = new Registry(new HttpSession(vertx, url, "admin:pw", 8, Trace.OFF, "t"));
        Target robot = target(url, "robot$ns+ci:s", Target.Tokens.NONE);
        Target withAdmin = new Target("t", url, "robot$ns+ci:s", Map.of(), robot.registry(), Target.Tokens.NONE, asAdmin);
        try {
            Measurement refused = named("catalog").run(robot, 0);
            assertEquals(refused.ops(), refused.errors(), "the robot may not read the catalog");
            Measurement read = named("catalog").run(withAdmin, 0);
            assertEquals(0, read.errors(), read.sampleErrors().toString());
            assertTrue(read.ops() > 0);
        } finally {
            asAdmin.http().close();
        }
    }

    @Test
    void aTokenAnswerMustHoldAToken() {
        assertTrue(Workloads.hasToken("{\"token\":\"a\"}".getBytes(StandardCharsets.UTF_8)).succeeded());
        assertTrue(Workloads.hasToken("{\"access_token\":\"a\"}".getBytes(StandardCharsets.UTF_8)).succeeded());
        assertTrue(Workloads.hasToken("{\"token\":\"\"}".getBytes(StandardCharsets.UTF_8)).failed());
        assertTrue(Workloads.hasToken("{}".getBytes(StandardCharsets.UTF_8)).failed());
        assertTrue(Workloads.hasToken("<html>".getBytes(StandardCharsets.UTF_8)).failed());
    }

    @Test
    void theTokenServiceIsFoundInTheRegistrysChallengeUnlessGiven() throws Exception {
        URI closed = serve(req -> req.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:5000/service/token\",service=\"berth\"").end());
        URI open = serve(req -> req.response().end("{}"));
        Options robot = Options.parse(new String[] {"--target", "berth=" + closed, "--token-robot", "berth=robot$p+ci:s"});
        Target.Tokens found = Main.tokens(robot, "berth", target(closed, null, Target.Tokens.NONE).registry());
        assertEquals("http://127.0.0.1:5000/service/token?service=berth", found.url());
        assertEquals(Map.of("robot", "robot$p+ci:s"), found.credentials());

        Options noUrl = Options.parse(new String[] {"--target", "berth=" + open, "--token-user", "berth=dev:pw"});
        BenchException e = assertThrows(BenchException.class,
                () -> Main.tokens(noUrl, "berth", target(open, null, Target.Tokens.NONE).registry()));
        assertTrue(e.getMessage().contains("--token-url berth=URL"), e.getMessage());

        Options given = Options.parse(new String[] {"--target", "berth=" + open, "--token-user", "berth=dev:pw",
                "--token-url", "berth=http://127.0.0.1:8082/service/token?service=berth", "--token-procs", "berth=auth:12"});
        Target.Tokens t = Main.tokens(given, "berth", target(open, null, Target.Tokens.NONE).registry());
        assertEquals("http://127.0.0.1:8082/service/token?service=berth", t.url());
        assertEquals(Map.of("auth", 12L), t.processes());

        Options none = Options.parse(new String[] {"--target", "berth=" + open});
        assertEquals(Target.Tokens.NONE, Main.tokens(none, "berth", target(open, null, Target.Tokens.NONE).registry()));
    }
}
