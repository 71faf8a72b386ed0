package io.berth.gc.retention;

import io.berth.security.policy.Glob;
import io.berth.security.policy.ImmutableTagRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what a {@link RetentionPolicy} retains and deletes in one project (ADR 0029):
 * <ol>
 *   <li><b>Scope.</b> A repository is in scope if some enabled rule's repository selector selects
 *       it; the others are left alone ({@link RetentionPlan#untouched()}). No rules, or only
 *       disabled ones, delete nothing.
 *   <li><b>Rules</b>, per repository, each over the artifacts its tag selector selects (a tagged
 *       artifact if any tag is accepted, an untagged one if the selector says {@code untagged}):
 *       {@code latestPushedK} keeps the {@code count} newest by push (ties: by digest);
 *       {@code latestPulledN} the {@code count} most recently pulled, never-pulled ones after
 *       all pulled ones, newest push first; {@code nDaysSinceLastPush}/{@code nDaysSinceLastPull}
 *       those pushed/pulled at or after {@code now} minus {@code days} × 24 h (never pulled is
 *       not within); {@code always} all of them.
 *   <li><b>Union.</b> An artifact in scope is retained if any rule applying to its repository
 *       retains it; otherwise if one of its tags falls under an immutable tag rule; otherwise it
 *       is deleted, untagged ones included.
 * </ol>
 * Pure and deterministic: the same input gives the same plan, in the same order. Work grows
 * with artifacts × rules × tags, plus one sort per repository (two with {@code latestPulledN}).
 *
 * <p>Build one per run; {@link #evaluate} may be called from any thread.
 */
public final class Evaluator {

    /** Output order, and the order of {@code latestPushedK}: newest push first, then by digest. */
    static final Comparator<Artifact> BY_PUSH = Comparator.comparing(Artifact::pushedAt).reversed()
            .thenComparing(Artifact::digest);

    private final List<Rule> rules;
    private final List<Immutable> immutables;

    /**
     * @param policy the project's policy
     * @param immutableTagRules the project's immutable tag rules (its {@code immutableTagRules});
     *     null is none
     */
    public Evaluator(RetentionPolicy policy, List<ImmutableTagRule> immutableTagRules) {
        Objects.requireNonNull(policy, "policy");
        List<Rule> enabled = new ArrayList<>();
        for (int i = 0; i < policy.rules().size(); i++) {
            RetentionRule rule = policy.rules().get(i);
            if (!rule.disabled()) {
                enabled.add(new Rule(i + 1, rule));
            }
        }
        this.rules = List.copyOf(enabled);
        this.immutables = immutableTagRules == null ? List.of()
                : immutableTagRules.stream().map(Immutable::new).toList();
    }

    /**
     * The plan for the project's {@code artifacts} (its top-level ones, every repository) at
     * {@code now}.
     *
     * @throws IllegalArgumentException if an artifact appears twice in a repository
     */
    public RetentionPlan evaluate(Instant now, Collection<Artifact> artifacts) {
        Objects.requireNonNull(now, "now");
        Map<String, List<Artifact>> byRepository = new HashMap<>();
        for (Artifact a : artifacts) {
            byRepository.computeIfAbsent(a.repository(), r -> new ArrayList<>()).add(a);
        }
        List<String> names = new ArrayList<>(byRepository.keySet());
        names.sort(Comparator.naturalOrder());

        List<RepositoryPlan> plans = new ArrayList<>();
        List<String> untouched = new ArrayList<>();
        for (String name : names) {
            List<Rule> applying = rules.stream().filter(r -> r.selects(name)).toList();
            if (applying.isEmpty()) {
                untouched.add(name);
            } else {
                plans.add(plan(name, byRepository.get(name), applying, now));
            }
        }
        return new RetentionPlan(plans, untouched);
    }

    private RepositoryPlan plan(String repository, List<Artifact> list, List<Rule> applying, Instant now) {
        Artifact[] arts = list.toArray(new Artifact[0]);
        Arrays.sort(arts, BY_PUSH);
        Set<String> digests = new HashSet<>(arts.length * 2);
        for (Artifact a : arts) {
            if (!digests.add(a.digest())) {
                throw new IllegalArgumentException("artifact " + a.digest() + " appears twice in " + repository);
            }
        }

        // Bit (position - 1) set: that rule retains it. RetentionPolicy.MAX_RULES (15) fit an int.
        int[] retainedBy = new int[arts.length];
        Integer[] byPull = null;
        for (Rule rule : applying) {
            switch (rule.template) {
                case LATEST_PUSHED_K -> {
                    int kept = 0;
                    for (int i = 0; i < arts.length && kept < rule.number; i++) {
                        if (rule.considers(arts[i])) {
                            retainedBy[i] |= rule.bit;
                            kept++;
                        }
                    }
                }
                case LATEST_PULLED_N -> {
                    if (byPull == null) {
                        byPull = byPull(arts);
                    }
                    int kept = 0;
                    for (int k = 0; k < byPull.length && kept < rule.number; k++) {
                        int i = byPull[k];
                        if (rule.considers(arts[i])) {
                            retainedBy[i] |= rule.bit;
                            kept++;
                        }
                    }
                }
                case N_DAYS_SINCE_LAST_PUSH, N_DAYS_SINCE_LAST_PULL -> {
                    Instant since = now.minus(Duration.ofDays(rule.number));
                    boolean push = rule.template == RetentionTemplate.N_DAYS_SINCE_LAST_PUSH;
                    for (int i = 0; i < arts.length; i++) {
                        Instant when = push ? arts[i].pushedAt() : arts[i].lastPulledAt();
                        if (when != null && !when.isBefore(since) && rule.considers(arts[i])) {
                            retainedBy[i] |= rule.bit;
                        }
                    }
                }
                case ALWAYS -> {
                    for (int i = 0; i < arts.length; i++) {
                        if (rule.considers(arts[i])) {
                            retainedBy[i] |= rule.bit;
                        }
                    }
                }
            }
        }

        List<Immutable> immutableHere = immutables.stream().filter(r -> r.repositories.matches(repository)).toList();
        List<Decision> decisions = new ArrayList<>(arts.length);
        Map<Integer, String> reasons = new HashMap<>();
        for (int i = 0; i < arts.length; i++) {
            if (retainedBy[i] != 0) {
                decisions.add(new Decision(arts[i], true, reasons.computeIfAbsent(retainedBy[i], this::reason)));
                continue;
            }
            String immutable = immutable(arts[i], immutableHere);
            decisions.add(immutable != null
                    ? new Decision(arts[i], true, immutable)
                    : new Decision(arts[i], false, "no rule retains it"));
        }
        return new RepositoryPlan(repository, decisions);
    }

    /** The reasons of the rules in {@code mask}, in their order: {@code rule 1: ...; rule 3: ...}. */
    private String reason(int mask) {
        StringBuilder reason = new StringBuilder();
        for (Rule rule : rules) {
            if ((mask & rule.bit) != 0) {
                reason.append(reason.length() == 0 ? "" : "; ").append(rule.reason);
            }
        }
        return reason.toString();
    }

    /**
     * Indexes into {@code arts} (sorted {@link #BY_PUSH}) by last pull, most recent first; the
     * never pulled after all others. The sort is stable, so ties keep the push order.
     */
    private static Integer[] byPull(Artifact[] arts) {
        Integer[] order = new Integer[arts.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing((Integer i) -> arts[i].lastPulledAt(),
                Comparator.nullsLast(Comparator.<Instant>reverseOrder())));
        return order;
    }

    /** Why the artifact is immutable, or null if no tag of it falls under a rule. */
    private static String immutable(Artifact a, List<Immutable> rules) {
        for (String tag : a.tags()) {
            for (Immutable r : rules) {
                if (r.tags.matches(tag)) {
                    return "tag " + tag + " is immutable (" + r.rule.describe() + ")";
                }
            }
        }
        return null;
    }

    /** An enabled rule, compiled. */
    private static final class Rule {
        final RetentionTemplate template;
        final int bit;
        final int number;
        final Glob repositories;
        final boolean repositoriesExcluded;
        final Glob tags;
        final boolean tagsExcluded;
        final boolean untagged;
        final String reason;

        Rule(int position, RetentionRule rule) {
            this.template = RetentionTemplate.byId(rule.template()).orElseThrow();
            this.bit = 1 << (position - 1);
            RetentionParams params = rule.params() == null ? RetentionParams.NONE : rule.params();
            Integer n = "count".equals(template.parameter()) ? params.count() : params.days();
            this.number = n == null ? 0 : n;
            this.repositories = Glob.compile(rule.repositories().pattern());
            this.repositoriesExcluded = RepositorySelector.EXCLUDES.equals(rule.repositories().decoration());
            this.tags = Glob.compile(rule.tags().pattern());
            this.tagsExcluded = TagSelector.EXCLUDES.equals(rule.tags().decoration());
            this.untagged = rule.tags().untagged();
            this.reason = "rule " + position + ": " + what() + which(rule.tags());
        }

        boolean selects(String repository) {
            return repositories.matches(repository) != repositoriesExcluded;
        }

        /** Whether the tag selector selects the artifact: any tag accepted, or untagged if asked. */
        boolean considers(Artifact a) {
            if (a.tags().isEmpty()) {
                return untagged;
            }
            for (String tag : a.tags()) {
                if (tags.matches(tag) != tagsExcluded) {
                    return true;
                }
            }
            return false;
        }

        private String what() {
            return switch (template) {
                case LATEST_PUSHED_K -> number == 1 ? "the most recently pushed" : "the " + number
                        + " most recently pushed";
                case LATEST_PULLED_N -> number == 1 ? "the most recently pulled" : "the " + number
                        + " most recently pulled";
                case N_DAYS_SINCE_LAST_PUSH -> "pushed within the last " + days();
                case N_DAYS_SINCE_LAST_PULL -> "pulled within the last " + days();
                case ALWAYS -> "always retained";
            };
        }

        private String days() {
            return number == 1 ? "day" : number + " days";
        }

        /** The tag selector in words, empty for the usual "**" on tagged artifacts. */
        private static String which(TagSelector t) {
            boolean all = TagSelector.MATCHES.equals(t.decoration()) && t.pattern().equals("**");
            if (all) {
                return t.untagged() ? ", tagged or not" : "";
            }
            String tags = (TagSelector.MATCHES.equals(t.decoration()) ? " with a tag matching \""
                    : " with a tag not matching \"") + t.pattern() + "\"";
            return tags + (t.untagged() ? " or untagged" : "");
        }
    }

    /** An immutable tag rule, compiled. */
    private static final class Immutable {
        final ImmutableTagRule rule;
        final Glob repositories;
        final Glob tags;

        Immutable(ImmutableTagRule rule) {
            this.rule = rule;
            this.repositories = Glob.compile(rule.repositories());
            this.tags = Glob.compile(rule.tags());
        }
    }
}
