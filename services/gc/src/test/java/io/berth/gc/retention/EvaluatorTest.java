package io.berth.gc.retention;

import static io.berth.gc.retention.RetentionTemplate.ALWAYS;
import static io.berth.gc.retention.RetentionTemplate.LATEST_PULLED_N;
import static io.berth.gc.retention.RetentionTemplate.LATEST_PUSHED_K;
import static io.berth.gc.retention.RetentionTemplate.N_DAYS_SINCE_LAST_PULL;
import static io.berth.gc.retention.RetentionTemplate.N_DAYS_SINCE_LAST_PUSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.security.policy.ImmutableTagRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    /** An artifact pushed {@code pushedDaysAgo} days ago, never pulled; digest from the name. */
    static Artifact art(String repository, String name, double pushedDaysAgo, String... tags) {
        return new Artifact(repository, "sha256:" + name, List.of(tags), daysAgo(pushedDaysAgo), null);
    }

    static Artifact pulled(Artifact a, double pulledDaysAgo) {
        return new Artifact(a.repository(), a.digest(), a.tags(), a.pushedAt(), daysAgo(pulledDaysAgo));
    }

    static RetentionRule rule(RetentionTemplate t, RetentionParams p, RepositorySelector r, TagSelector s) {
        return RetentionRule.of(t, p, r, s);
    }

    static RetentionRule everywhere(RetentionTemplate t, RetentionParams p) {
        return rule(t, p, RepositorySelector.matching("**"), TagSelector.matching("**"));
    }

    static RetentionPlan plan(RetentionPolicy policy, List<ImmutableTagRule> immutable, Artifact... artifacts) {
        return new Evaluator(policy, immutable).evaluate(NOW, Arrays.asList(artifacts));
    }

    static RetentionPlan plan(RetentionPolicy policy, Artifact... artifacts) {
        return plan(policy, List.of(), artifacts);
    }

    /** Digest suffix → reason of the retained ones. */
    static Map<String, String> retained(RetentionPlan plan) {
        return decisions(plan, true);
    }

    static Map<String, String> deleted(RetentionPlan plan) {
        return decisions(plan, false);
    }

    static Map<String, String> decisions(RetentionPlan plan, boolean retained) {
        Map<String, String> m = new TreeMap<>();
        for (RepositoryPlan r : plan.repositories()) {
            for (Decision d : r.decisions()) {
                if (d.retained() == retained) {
                    m.put(d.artifact().digest().substring("sha256:".length()), d.reason());
                }
            }
        }
        return m;
    }

    static List<String> names(Map<String, String> m) {
        return new ArrayList<>(m.keySet());
    }

    @Test
    void latestPushedKeepsTheNewestCountPerRepository() {
        var plan = plan(RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(2))),
                art("a", "a1", 1, "t1"), art("a", "a2", 2, "t2"), art("a", "a3", 3, "t3"),
                art("b", "b1", 9, "t1"), art("b", "b2", 10, "t2"), art("b", "b3", 11, "t3"));
        // Per repository, not across the project (Harbor's example 1).
        assertEquals(List.of("a1", "a2", "b1", "b2"), names(retained(plan)));
        assertEquals(List.of("a3", "b3"), names(deleted(plan)));
        assertEquals("rule 1: the 2 most recently pushed", retained(plan).get("a1"));
        assertEquals("no rule retains it", deleted(plan).get("a3"));
    }

    @Test
    void latestPushedBreaksTiesByDigestAndCountsOnlyWhatItsTagSelectorSelects() {
        var plan = plan(RetentionPolicy.of(rule(LATEST_PUSHED_K, RetentionParams.count(2),
                        RepositorySelector.matching("**"), TagSelector.matching("v*"))),
                art("a", "c", 1, "v3"), art("a", "b", 1, "v2"), art("a", "a", 1, "v1"),
                art("a", "newest", 0, "latest"));
        // "newest" is not a v* artifact, so it neither counts nor is retained.
        assertEquals(List.of("a", "b"), names(retained(plan)));
        assertEquals(List.of("c", "newest"), names(deleted(plan)));
        assertEquals("rule 1: the 2 most recently pushed with a tag matching \"v*\"", retained(plan).get("a"));
    }

    @Test
    void countZeroRetainsNothingButPutsTheRepositoryInScope() {
        var plan = plan(RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(0))),
                art("a", "a1", 1, "t"));
        assertEquals(List.of("a1"), names(deleted(plan)));
    }

    @Test
    void latestPulledKeepsTheMostRecentlyPulledThenTheNewestNeverPulled() {
        var plan = plan(RetentionPolicy.of(everywhere(LATEST_PULLED_N, RetentionParams.count(3))),
                pulled(art("a", "old-hot", 30, "t1"), 0.5),
                pulled(art("a", "old-warm", 29, "t2"), 5),
                pulled(art("a", "old-cold", 28, "t3"), 50),
                art("a", "new-never", 1, "t4"),
                art("a", "older-never", 2, "t5"));
        assertEquals(List.of("old-cold", "old-hot", "old-warm"), names(retained(plan)));
        assertEquals("rule 1: the 3 most recently pulled", retained(plan).get("old-hot"));

        // With room left, never-pulled artifacts fill it, newest push first (Harbor keeps them too).
        plan = plan(RetentionPolicy.of(everywhere(LATEST_PULLED_N, RetentionParams.count(2))),
                pulled(art("a", "hot", 30, "t1"), 1), art("a", "new-never", 1, "t4"),
                art("a", "older-never", 2, "t5"));
        assertEquals(List.of("hot", "new-never"), names(retained(plan)));
        assertEquals(List.of("older-never"), names(deleted(plan)));
    }

    @Test
    void daysSinceLastPushKeepsWhatWasPushedWithinTheWindowBoundaryIncluded() {
        var plan = plan(RetentionPolicy.of(everywhere(N_DAYS_SINCE_LAST_PUSH, RetentionParams.days(7))),
                art("a", "fresh", 1, "t1"), art("a", "edge", 7, "t2"), art("a", "stale", 7.01, "t3"));
        assertEquals(List.of("edge", "fresh"), names(retained(plan)));
        assertEquals(List.of("stale"), names(deleted(plan)));
        assertEquals("rule 1: pushed within the last 7 days", retained(plan).get("fresh"));
        var oneDay = RetentionPolicy.of(everywhere(N_DAYS_SINCE_LAST_PUSH, RetentionParams.days(1)));
        assertEquals("rule 1: pushed within the last day", retained(plan(oneDay, art("a", "x", 0, "t"))).get("x"));
    }

    @Test
    void daysSinceLastPullKeepsWhatWasPulledWithinTheWindowAndNeverTheNeverPulled() {
        var plan = plan(RetentionPolicy.of(everywhere(N_DAYS_SINCE_LAST_PULL, RetentionParams.days(30))),
                pulled(art("a", "used", 400, "t1"), 3), pulled(art("a", "edge", 400, "t2"), 30),
                pulled(art("a", "unused", 1, "t3"), 31), art("a", "never", 0, "t4"));
        assertEquals(List.of("edge", "used"), names(retained(plan)));
        assertEquals(List.of("never", "unused"), names(deleted(plan)));
        assertEquals("rule 1: pulled within the last 30 days", retained(plan).get("used"));
    }

    @Test
    void alwaysKeepsEverythingItSelects() {
        var plan = plan(RetentionPolicy.of(rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"),
                        TagSelector.matching("release-*"))),
                art("a", "r1", 900, "release-1"), art("a", "r2", 800, "release-2"), art("a", "dev", 0, "dev-7"));
        assertEquals(List.of("r1", "r2"), names(retained(plan)));
        assertEquals(List.of("dev"), names(deleted(plan)));
        assertEquals("rule 1: always retained with a tag matching \"release-*\"", retained(plan).get("r1"));
    }

    @Test
    void repositoriesNoRuleSelectsAreLeftAlone() {
        var policy = RetentionPolicy.of(rule(LATEST_PUSHED_K, RetentionParams.count(1),
                RepositorySelector.matching("app/*"), TagSelector.matching("**")));
        var plan = plan(policy, art("app/api", "api1", 1, "a"), art("app/api", "api2", 2, "b"),
                art("app/api/v2", "deep", 2, "b"), art("db", "db1", 100, "x"), art("db", "db2", 200, "y"));
        assertEquals(List.of("app/api"), plan.repositories().stream().map(RepositoryPlan::repository).toList());
        assertEquals(List.of("app/api/v2", "db"), plan.untouched());
        assertEquals(List.of("api2"), names(deleted(plan)));
        assertEquals(1, plan.deletedCount());
        assertEquals(1, plan.retainedCount());
    }

    @Test
    void repoExcludesSelectsEveryOtherRepository() {
        var policy = RetentionPolicy.of(rule(LATEST_PUSHED_K, RetentionParams.count(1),
                RepositorySelector.excluding("{db,cache}"), TagSelector.matching("**")));
        var plan = plan(policy, art("web", "w1", 1, "a"), art("web", "w2", 2, "b"),
                art("db", "d1", 1, "a"), art("db", "d2", 2, "b"), art("cache", "c1", 2, "b"));
        assertEquals(List.of("web"), plan.repositories().stream().map(RepositoryPlan::repository).toList());
        assertEquals(List.of("cache", "db"), plan.untouched());
        assertEquals(List.of("w2"), names(deleted(plan)));
    }

    @Test
    void aTaggedArtifactIsSelectedIfAnyOfItsTagsIsAccepted() {
        var matches = RetentionPolicy.of(rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"),
                TagSelector.matching("v*")));
        var plan = plan(matches, art("a", "both", 1, "latest", "v2"), art("a", "neither", 1, "latest", "dev"));
        assertEquals(List.of("both"), names(retained(plan)));
        assertEquals(List.of("neither"), names(deleted(plan)));

        var excludes = RetentionPolicy.of(rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"),
                TagSelector.excluding("dev-*")));
        plan = plan(excludes, art("a", "only-dev", 1, "dev-1", "dev-2"), art("a", "dev-and-v", 1, "dev-3", "v3"),
                art("a", "release", 1, "v4"));
        assertEquals(List.of("dev-and-v", "release"), names(retained(plan)));
        assertEquals(List.of("only-dev"), names(deleted(plan)));
        assertEquals("rule 1: always retained with a tag not matching \"dev-*\"", retained(plan).get("release"));
    }

    @Test
    void untaggedArtifactsAreSelectedOnlyIfTheRuleSaysSoWhateverTheDecoration() {
        Artifact tagged = art("a", "tagged", 2, "v1");
        Artifact untagged = art("a", "untagged", 1);
        for (TagSelector tags : List.of(TagSelector.matching("**"), TagSelector.excluding("latest"))) {
            var without = RetentionPolicy.of(rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"),
                    tags));
            var plan = plan(without, tagged, untagged);
            assertEquals(List.of("tagged"), names(retained(plan)), tags.toString());
            // In scope and retained by no rule: deleted.
            assertEquals(List.of("untagged"), names(deleted(plan)), tags.toString());

            var with = RetentionPolicy.of(rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"),
                    tags.withUntagged()));
            plan = plan(with, tagged, untagged);
            assertEquals(List.of("tagged", "untagged"), names(retained(plan)), tags.toString());
        }
    }

    @Test
    void untaggedArtifactsCountTowardsLatestPushedWhenIncluded() {
        var policy = RetentionPolicy.of(rule(LATEST_PUSHED_K, RetentionParams.count(2),
                RepositorySelector.matching("**"), TagSelector.matching("**").withUntagged()));
        var plan = plan(policy, art("a", "u1", 1), art("a", "t2", 2, "x"), art("a", "t3", 3, "y"));
        assertEquals(List.of("t2", "u1"), names(retained(plan)));
        assertEquals(List.of("t3"), names(deleted(plan)));
        assertEquals("rule 1: the 2 most recently pushed, tagged or not", retained(plan).get("u1"));
    }

    @Test
    void thePolicyKeepsTheUnionOfItsRulesAndNamesEveryRuleThatKeepsAnArtifact() {
        var policy = RetentionPolicy.of(
                everywhere(LATEST_PUSHED_K, RetentionParams.count(1)),
                everywhere(N_DAYS_SINCE_LAST_PULL, RetentionParams.days(7)),
                rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"), TagSelector.matching("prod")));
        var plan = plan(policy, art("a", "newest", 1, "n"), pulled(art("a", "pulled", 50, "p"), 2),
                pulled(art("a", "prod", 100, "prod"), 1), art("a", "junk", 40, "j"));
        assertEquals(List.of("newest", "prod", "pulled"), names(retained(plan)));
        assertEquals(List.of("junk"), names(deleted(plan)));
        assertEquals("rule 2: pulled within the last 7 days; rule 3: always retained with a tag matching \"prod\"",
                retained(plan).get("prod"));
    }

    @Test
    void eachRuleAppliesOnlyInTheRepositoriesItSelects() {
        // Rule 1 keeps one in web; rule 2 keeps everything in api. Rule 2 must not save web's old ones.
        var policy = RetentionPolicy.of(
                rule(LATEST_PUSHED_K, RetentionParams.count(1), RepositorySelector.matching("web"),
                        TagSelector.matching("**")),
                rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("api"), TagSelector.matching("**")));
        var plan = plan(policy, art("web", "w1", 1, "a"), art("web", "w2", 2, "b"),
                art("api", "a1", 1, "a"), art("api", "a2", 2, "b"));
        assertEquals(List.of("w2"), names(deleted(plan)));
        assertEquals(List.of("a1", "a2", "w1"), names(retained(plan)));
    }

    @Test
    void anArtifactWithAnImmutableTagIsNeverDeleted() {
        var policy = RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(1)));
        var immutable = List.of(new ImmutableTagRule("db", "*"), new ImmutableTagRule("**", "v*"));
        var plan = plan(policy, immutable, art("app", "new", 1, "latest"), art("app", "v1", 10, "build-7", "v1.0"),
                art("app", "old", 20, "build-6"), art("app", "untagged", 30));
        assertEquals(List.of("new", "v1"), names(retained(plan)));
        assertEquals("tag v1.0 is immutable (repositories \"**\", tags \"v*\")", retained(plan).get("v1"));
        // An untagged artifact is never immutable (Harbor once held them so, goharbor/harbor#16335).
        assertEquals(List.of("old", "untagged"), names(deleted(plan)));

        // The repository part of the immutable rule counts: "db" rules do not protect app.
        plan = plan(policy, List.of(new ImmutableTagRule("db", "*")), art("app", "a", 1, "x"),
                art("app", "b", 2, "y"), art("db", "d", 2, "y"));
        assertEquals(List.of("b"), names(deleted(plan)));
    }

    @Test
    void aRuleThatRetainsWinsOverTheImmutableReason() {
        var policy = RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(1)));
        var plan = plan(policy, List.of(new ImmutableTagRule("**", "v*")), art("app", "new", 1, "v2"));
        assertEquals("rule 1: the most recently pushed", retained(plan).get("new"));
    }

    @Test
    void disabledRulesNeitherSelectNorRetain() {
        var keepAll = rule(ALWAYS, RetentionParams.NONE, RepositorySelector.matching("**"), TagSelector.matching("**"));
        var keepOne = everywhere(LATEST_PUSHED_K, RetentionParams.count(1));
        var plan = plan(RetentionPolicy.of(keepAll.asDisabled(), keepOne), art("a", "a1", 1, "x"),
                art("a", "a2", 2, "y"));
        assertEquals(List.of("a2"), names(deleted(plan)));
        // The surviving rule keeps its position in the reason.
        assertEquals("rule 2: the most recently pushed", retained(plan).get("a1"));

        // Only disabled rules (or none): nothing is in scope, nothing is deleted.
        for (var policy : List.of(RetentionPolicy.of(keepOne.asDisabled()), RetentionPolicy.of())) {
            plan = plan(policy, art("a", "a1", 1, "x"), art("a", "a2", 2, "y"));
            assertEquals(0, plan.deletedCount());
            assertEquals(List.of(), plan.repositories());
            assertEquals(List.of("a"), plan.untouched());
        }
    }

    @Test
    void theOutputIsOrderedByRepositoryThenNewestPushThenDigestWhateverTheInputOrder() {
        var policy = RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(2)));
        List<Artifact> input = new ArrayList<>(List.of(art("b", "b-old", 5, "x"), art("a", "a-tie-2", 1, "y"),
                art("b", "b-new", 1, "z"), art("a", "a-tie-1", 1, "w"), art("a", "a-old", 3, "v")));
        List<String> first = null;
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(input, new java.util.Random(round));
            RetentionPlan plan = new Evaluator(policy, List.of()).evaluate(NOW, input);
            List<String> order = plan.repositories().stream()
                    .flatMap(r -> r.decisions().stream().map(d -> r.repository() + ":" + d.artifact().digest()))
                    .toList();
            assertEquals(List.of("a:sha256:a-tie-1", "a:sha256:a-tie-2", "a:sha256:a-old", "b:sha256:b-new",
                    "b:sha256:b-old"), order);
            List<String> reasons = plan.repositories().stream().flatMap(r -> r.decisions().stream())
                    .map(Decision::reason).toList();
            if (first != null) {
                assertEquals(first, reasons);
            }
            first = reasons;
        }
    }

    @Test
    void theDeletionsListIsWhatIsNotRetained() {
        var policy = RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(1)));
        var plan = plan(policy, art("a", "a1", 1, "x"), art("a", "a2", 2, "y"), art("b", "b1", 1, "x"),
                art("b", "b2", 2, "y"), art("b", "b3", 3, "z"));
        assertEquals(List.of("sha256:a2", "sha256:b2", "sha256:b3"),
                plan.deletions().stream().map(d -> d.artifact().digest()).toList());
        assertEquals(2, plan.repositories().get(1).deletedCount());
        assertEquals(1, plan.repositories().get(1).retainedCount());
    }

    @Test
    void anArtifactTwiceInARepositoryIsAProgrammingError() {
        var policy = RetentionPolicy.of(everywhere(ALWAYS, RetentionParams.NONE));
        var e = assertThrows(IllegalArgumentException.class,
                () -> plan(policy, art("a", "x", 1, "t"), art("a", "x", 2, "u")));
        assertTrue(e.getMessage().contains("sha256:x appears twice in a"), e.getMessage());
        // The same digest in two repositories is two artifacts.
        assertEquals(2, plan(policy, art("a", "x", 1, "t"), art("b", "x", 2, "u")).retainedCount());
    }

    @Test
    void artifactsAreCheckedAndTheirTagsSortedSoReasonsAreStable() {
        Instant t = NOW;
        assertThrows(IllegalArgumentException.class, () -> new Artifact("", "sha256:a", List.of(), t, null));
        assertThrows(IllegalArgumentException.class, () -> new Artifact("a", null, List.of(), t, null));
        assertThrows(IllegalArgumentException.class, () -> new Artifact("a", "sha256:a", List.of(), null, null));
        assertThrows(IllegalArgumentException.class, () -> new Artifact("a", "sha256:a", List.of("v1", ""), t, null));
        assertEquals(List.of(), new Artifact("a", "sha256:a", null, t, null).tags());
        assertTrue(new Artifact("a", "sha256:a", null, t, null).untagged());
        assertEquals(List.of("v1", "v2"), new Artifact("a", "sha256:a", List.of("v2", "v1"), t, null).tags());

        // Both v1.0 and v2.0 are immutable; the reason names the first tag in order, whatever the input order.
        var policy = RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(0)));
        var plan = new Evaluator(policy, List.of(new ImmutableTagRule("**", "v*"))).evaluate(NOW,
                List.of(new Artifact("a", "sha256:x", List.of("v2.0", "v1.0"), NOW, null)));
        assertEquals("tag v1.0 is immutable (repositories \"**\", tags \"v*\")", retained(plan).get("x"));
        // No immutable rules given (null) is none.
        assertEquals(List.of("x"), names(deleted(new Evaluator(policy, null).evaluate(NOW,
                List.of(new Artifact("a", "sha256:x", List.of("v2.0"), NOW, null))))));
    }

    @Test
    void aLargeProjectIsEvaluatedInOnePassPerRule() {
        // Not a timing test: 100,000 artifacts in 200 repositories must simply come out right.
        var policy = RetentionPolicy.of(everywhere(LATEST_PUSHED_K, RetentionParams.count(10)),
                everywhere(N_DAYS_SINCE_LAST_PULL, RetentionParams.days(7)),
                rule(LATEST_PULLED_N, RetentionParams.count(5), RepositorySelector.matching("repo-1*"),
                        TagSelector.excluding("tmp-*").withUntagged()));
        List<Artifact> all = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String repo = "repo-" + (i % 200);
            Artifact a = new Artifact(repo, "sha256:" + i, i % 7 == 0 ? List.of() : List.of("t-" + i, "tmp-" + i),
                    daysAgo(i / 1000.0), null);
            all.add(i % 100 == 0 ? pulled(a, 1) : a);
        }
        RetentionPlan plan = new Evaluator(policy, List.of()).evaluate(NOW, all);
        assertEquals(200, plan.repositories().size());
        assertEquals(100_000, plan.retainedCount() + plan.deletedCount());
        Map<String, Long> kept = plan.repositories().stream().collect(Collectors.toMap(RepositoryPlan::repository,
                r -> (long) r.retainedCount()));
        // repo-5: rule 1 keeps 10 tagged; artifacts i ≡ 5 (mod 200) pulled a day ago: i % 100 == 0 never.
        assertEquals(10L, kept.get("repo-5"));
        // repo-0: all of its 500 were pulled a day ago; rule 2 keeps the tagged ones, the 428 whose
        // i is no multiple of 7.
        assertEquals(428L, kept.get("repo-0"));
        // repo-150: rule 1's 10 newest tagged, and rule 3's 5 newest of any kind (none pulled),
        // which hold one untagged (i = 350).
        assertEquals(11L, kept.get("repo-150"));
    }
}
