package io.berth.gc.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    static final String RULE = """
            {"template":"latestPushedK","params":{"count":3},
             "repositories":{"decoration":"repoMatches","pattern":"frontend"},
             "tags":{"decoration":"matches","pattern":"**","untagged":false},"disabled":false}""";

    static RetentionRule valid() {
        return RetentionRule.of(RetentionTemplate.LATEST_PUSHED_K, RetentionParams.count(3),
                RepositorySelector.matching("**"), TagSelector.matching("**"));
    }

    static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.fromJson(json), json).getMessage();
    }

    static String rules(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    /** RULE with {@code from} replaced by {@code to}. */
    static String ruleWith(String from, String to) {
        assertTrue(RULE.contains(from), from);
        return RULE.replace(from, to);
    }

    @Test
    void theProposedJsonReadsAndWritesBack() throws Exception {
        RetentionPolicy policy = RetentionPolicy.fromJson(rules(RULE));
        RetentionRule rule = policy.rules().get(0);
        assertEquals("latestPushedK", rule.template());
        assertEquals(3, rule.params().count());
        assertEquals(new RepositorySelector("repoMatches", "frontend"), rule.repositories());
        assertEquals(new TagSelector("matches", "**", false), rule.tags());
        assertFalse(rule.disabled());

        // Any ObjectMapper (Quarkus' too) writes it in the same shape, and reads it back.
        ObjectMapper mapper = new ObjectMapper();
        String written = mapper.writeValueAsString(policy);
        assertEquals("{\"rules\":[{\"template\":\"latestPushedK\",\"params\":{\"count\":3},"
                + "\"repositories\":{\"decoration\":\"repoMatches\",\"pattern\":\"frontend\"},"
                + "\"tags\":{\"decoration\":\"matches\",\"pattern\":\"**\",\"untagged\":false},"
                + "\"disabled\":false}]}", written);
        assertEquals(policy, mapper.readValue(written, RetentionPolicy.class));
        assertEquals(policy, RetentionPolicy.fromJson(written));
    }

    @Test
    void optionalPartsMayBeLeftOut() {
        RetentionPolicy policy = RetentionPolicy.fromJson(rules("""
                {"template":"always","repositories":{"decoration":"repoExcludes","pattern":"tmp/**"},
                 "tags":{"decoration":"excludes","pattern":"dev-*"}}""",
                """
                {"template":"always","params":{},"repositories":{"decoration":"repoMatches","pattern":"**"},
                 "tags":{"decoration":"matches","pattern":"**","untagged":true},"disabled":true}"""));
        assertFalse(policy.rules().get(0).tags().untagged());
        assertFalse(policy.rules().get(0).disabled());
        assertTrue(policy.rules().get(1).tags().untagged());
        assertTrue(policy.rules().get(1).disabled());
        assertEquals(0, RetentionPolicy.fromJson("{\"rules\":[]}").rules().size());
    }

    @Test
    void everyTemplateTakesItsOneParameter() {
        for (RetentionTemplate t : RetentionTemplate.values()) {
            RetentionParams p = t.parameter() == null ? RetentionParams.NONE
                    : t.parameter().equals("count") ? RetentionParams.count(5) : RetentionParams.days(5);
            RetentionPolicy.of(RetentionRule.of(t, p, RepositorySelector.matching("**"), TagSelector.matching("**")));
        }
        RetentionPolicy.fromJson(rules(ruleWith("\"latestPushedK\",\"params\":{\"count\":3}",
                "\"nDaysSinceLastPull\",\"params\":{\"days\":36500}")));
        RetentionPolicy.fromJson(rules(ruleWith("\"count\":3", "\"count\":0")));
        RetentionPolicy.fromJson(rules(ruleWith("\"count\":3", "\"count\":10000")));
    }

    @Test
    void aCommaListWithoutBracesIsAListOfAlternatives() {
        RetentionRule rule = RetentionPolicy.fromJson(rules(ruleWith("\"frontend\"", "\"web,api\"")
                .replace("\"pattern\":\"**\"", "\"pattern\":\"dev,test\""))).rules().get(0);
        assertEquals("{web,api}", rule.repositories().pattern());
        assertEquals("{dev,test}", rule.tags().pattern());
        assertEquals("{a,b}-*", new TagSelector("matches", "{a,b}-*", false).pattern());
    }

    @Test
    void theRefusalsNameTheRuleAndTheField() {
        assertEquals("a retention policy needs \"rules\", a list of up to 15 rules", refusal("{}"));
        assertEquals("a retention policy has at most 15 rules, not 16",
                refusal(rules(Collections.nCopies(16, RULE).toArray(new String[0]))));
        assertEquals("rule 2 is null", refusal(rules(RULE, "null")));
        assertEquals("rule 1: \"template\" is missing; one of latestPushedK, latestPulledN, nDaysSinceLastPush, "
                + "nDaysSinceLastPull, always", refusal(rules(ruleWith("\"template\":\"latestPushedK\",", ""))));
        assertEquals("rule 2: unknown template \"latestK\"; one of latestPushedK, latestPulledN, "
                + "nDaysSinceLastPush, nDaysSinceLastPull, always",
                refusal(rules(RULE, ruleWith("latestPushedK", "latestK"))));
        assertEquals("rule 1: latestPushedK needs params.count, a whole number from 0 to 10000",
                refusal(rules(ruleWith("\"params\":{\"count\":3},", ""))));
        assertEquals("rule 1: latestPushedK needs params.count, a whole number from 0 to 10000, not 10001",
                refusal(rules(ruleWith("\"count\":3", "\"count\":10001"))));
        assertEquals("rule 1: latestPushedK needs params.count, a whole number from 0 to 10000, not -1",
                refusal(rules(ruleWith("\"count\":3", "\"count\":-1"))));
        assertEquals("rule 1: params.days is not a parameter of latestPushedK; it takes params.count",
                refusal(rules(ruleWith("\"count\":3", "\"days\":3"))));
        assertEquals("rule 1: nDaysSinceLastPush needs params.days, a whole number from 0 to 36500, not 36501",
                refusal(rules(ruleWith("\"latestPushedK\",\"params\":{\"count\":3}",
                        "\"nDaysSinceLastPush\",\"params\":{\"days\":36501}"))));
        assertEquals("rule 1: params.count is not a parameter of always, which takes none",
                refusal(rules(ruleWith("latestPushedK", "always"))));
        assertEquals("rule 1: \"repositories\" is missing, e.g. {\"decoration\":\"repoMatches\",\"pattern\":\"**\"}",
                refusal(rules(ruleWith("\"repositories\":{\"decoration\":\"repoMatches\",\"pattern\":\"frontend\"},",
                        ""))));
        assertEquals("rule 1: repositories.decoration is \"repoMatches\" or \"repoExcludes\", not \"matches\"",
                refusal(rules(ruleWith("repoMatches", "matches"))));
        assertEquals("rule 1: repositories.decoration is \"repoMatches\" or \"repoExcludes\"",
                refusal(rules(ruleWith("\"decoration\":\"repoMatches\",", ""))));
        assertEquals("rule 1: repositories.pattern is a glob of up to 255 letters, digits and . _ - / * ? { } ,",
                refusal(rules(ruleWith("\"frontend\"", "\"front end\""))));
        assertEquals("rule 1: repositories.pattern is a glob of up to 255 letters, digits and . _ - / * ? { } ,",
                refusal(rules(ruleWith("\"frontend\"", "\"" + "a".repeat(256) + "\""))));
        assertEquals("rule 1: repositories.pattern is a glob of up to 255 letters, digits and . _ - / * ? { } ,",
                refusal(rules(ruleWith(",\"pattern\":\"frontend\"", ""))));
        assertEquals("rule 1: \"tags\" is missing, e.g. {\"decoration\":\"matches\",\"pattern\":\"**\","
                + "\"untagged\":false}",
                refusal(rules(ruleWith("\"tags\":{\"decoration\":\"matches\",\"pattern\":\"**\",\"untagged\":false},",
                        ""))));
        assertEquals("rule 1: tags.decoration is \"matches\" or \"excludes\", not \"repoMatches\"",
                refusal(rules(ruleWith("\"decoration\":\"matches\"", "\"decoration\":\"repoMatches\""))));
        assertEquals("rule 1: tags.pattern: a '{' without its '}' in a rule's glob: {v1,v2",
                refusal(rules(ruleWith("\"pattern\":\"**\"", "\"pattern\":\"{v1,v2\""))));
        assertEquals("rule 1: tags.pattern: braces in a rule's glob cannot nest: {a,{b}}",
                refusal(rules(ruleWith("\"pattern\":\"**\"", "\"pattern\":\"{a,{b}}\""))));
    }

    @Test
    void disabledRulesAreCheckedToo() {
        RetentionRule bad = new RetentionRule("latestPushedK", RetentionParams.count(-5),
                RepositorySelector.matching("**"), TagSelector.matching("**"), true);
        var e = assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.of(valid(), bad));
        assertEquals("rule 2: latestPushedK needs params.count, a whole number from 0 to 10000, not -5",
                e.getMessage());
    }

    @Test
    void malformedOrMistypedJsonIsAClientsMistakeToo() {
        assertTrue(refusal("{\"rules\":[").startsWith("a retention policy is JSON like {\"rules\":[...]}: "));
        assertEquals("a retention policy is JSON like {\"rules\":[...]}, not null", refusal("null"));
        String json = "a retention policy is JSON like {\"rules\":[...]}: ";
        assertEquals(json + "rules[0].params.count is a whole number",
                refusal(rules(ruleWith("\"count\":3", "\"count\":\"3\""))));
        assertEquals(json + "rules[0].params.count is a whole number",
                refusal(rules(ruleWith("\"count\":3", "\"count\":3.5"))));
        // Harbor's way of keying the parameter by the template.
        assertEquals(json + "rules[0].params.latestPushedK is not a field; the fields are count, days",
                refusal(rules(ruleWith("\"count\":3", "\"latestPushedK\":3"))));
        assertEquals(json + "rules[0].disabled is true or false",
                refusal(rules(ruleWith("\"disabled\":false", "\"disabled\":\"no\""))));
        assertEquals(json + "rules[0].tags.pattern is a string",
                refusal(rules(ruleWith("\"pattern\":\"**\"", "\"pattern\":[\"**\"]"))));
        assertEquals(json + "rules is a list", refusal("{\"rules\":{}}"));
        assertEquals(json + "rules[0] is an object", refusal("{\"rules\":[3]}"));
    }

    @Test
    void thePolicyCannotBeChangedAfterItWasChecked() {
        List<RetentionRule> list = new ArrayList<>(List.of(valid()));
        RetentionPolicy policy = new RetentionPolicy(list);
        list.add(null);
        assertEquals(1, policy.rules().size());
        assertThrows(UnsupportedOperationException.class, () -> policy.rules().add(valid()));
    }
}
