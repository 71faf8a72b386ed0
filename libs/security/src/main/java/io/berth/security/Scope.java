package io.berth.security;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One Docker token scope, {@code type:name:actions}: what a client asks the token service for
 * ({@code ?scope=repository:library/nginx:pull,push}) and what a token's {@code access} claim
 * grants. Examples: {@code repository:team/app:pull}, {@code registry:catalog:*},
 * {@code repository:localhost:5000/foo:pull} (the name may contain ':' before a port).
 *
 * <p>Actions are a set: repeats are dropped, first-occurrence order is kept for
 * {@link #toString()}. The set may be empty, which is what a token grants when nothing was
 * allowed ({@code repository:team/app:}). {@code *} is kept as a literal action; it means
 * "every action you will give me" and only {@link #intersect} expands it.
 *
 * <p>Invalid scopes fail with an {@link IllegalArgumentException} that says why.
 *
 * @param type the resource type, e.g. {@code repository}, {@code registry}, or with a class
 *     such as {@code repository(plugin)}
 * @param name the resource name, e.g. {@code library/nginx}; not validated as a repository
 *     name here, only non-empty and free of blanks, control characters and ','
 * @param actions the requested or granted actions, each {@code [a-z]+(-[a-z]+)*} (such as
 *     {@code pull} or {@code scanner-pull}) or {@code *}
 */
public record Scope(String type, String name, Set<String> actions) {

    /** The wildcard action: every action the caller is allowed. */
    public static final String WILDCARD = "*";

    /**
     * Validates the parts and takes an unmodifiable, ordered copy of {@code actions}.
     *
     * @throws IllegalArgumentException if a part is null or invalid
     */
    public Scope {
        if (type == null || !isType(type)) {
            throw new IllegalArgumentException("invalid scope resource type '" + type + "'");
        }
        if (name == null || name.isEmpty() || !isName(name)) {
            throw new IllegalArgumentException("invalid scope resource name '" + name + "'");
        }
        if (actions == null) {
            throw new IllegalArgumentException("scope actions must not be null");
        }
        Set<String> copy = new LinkedHashSet<>();
        for (String a : actions) {
            if (a == null || !isAction(a)) {
                throw new IllegalArgumentException("invalid scope action '" + a
                        + "'; actions are lowercase words joined by '-', or '*'");
            }
            copy.add(a);
        }
        actions = Collections.unmodifiableSet(copy);
    }

    /**
     * Parses {@code type:name:actions}. The type ends at the first ':', the actions start after
     * the last ':', and the name is everything between, so a registry host with a port stays
     * in the name. Actions are comma-separated; an empty actions part means none.
     *
     * @throws IllegalArgumentException if {@code s} is null, has fewer than two ':', an empty
     *     type or name, an empty item in the action list, or an invalid part
     */
    public static Scope parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("scope is null");
        }
        int first = s.indexOf(':');
        int last = s.lastIndexOf(':');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("scope '" + s + "' is not type:name:actions");
        }
        String actionList = s.substring(last + 1);
        Set<String> actions = new LinkedHashSet<>();
        if (!actionList.isEmpty()) {
            // split with limit -1 keeps trailing empty items, so "pull," is caught.
            for (String a : actionList.split(",", -1)) {
                if (a.isEmpty()) {
                    throw new IllegalArgumentException("scope '" + s + "' has an empty action");
                }
                actions.add(a);
            }
        }
        return new Scope(s.substring(0, first), s.substring(first + 1, last), actions);
    }

    /**
     * This scope narrowed to what the caller may do: the requested actions that are in
     * {@code allowedActions}, where a requested {@code *} stands for all of
     * {@code allowedActions}. A {@code *} inside {@code allowedActions} is only a literal
     * (it grants a request for {@code *}, as in {@code registry:catalog:*}), never "everything".
     *
     * @return a scope with the same type and name; its actions may be empty
     * @throws NullPointerException if {@code allowedActions} is null
     */
    public Scope intersect(Set<String> allowedActions) {
        Objects.requireNonNull(allowedActions, "allowedActions");
        Set<String> granted = new LinkedHashSet<>();
        for (String requested : actions) {
            if (WILDCARD.equals(requested)) {
                granted.addAll(allowedActions);
            } else if (allowedActions.contains(requested)) {
                granted.add(requested);
            }
        }
        return new Scope(type, name, granted);
    }

    /** Whether the scope asks for or grants {@code action} literally (no wildcard expansion). */
    public boolean has(String action) {
        return actions.contains(action);
    }

    /** The wire form {@code type:name:a,b}; {@link #parse} of it gives an equal scope. */
    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }

    // resourcetype := resourcetypevalue [ '(' resourcetypevalue ')' ]
    private static boolean isType(String t) {
        int open = t.indexOf('(');
        if (open < 0) {
            return isTypeValue(t);
        }
        return t.endsWith(")") && isTypeValue(t.substring(0, open))
                && isTypeValue(t.substring(open + 1, t.length() - 1));
    }

    // resourcetypevalue := [a-z0-9]+ ([._-] [a-z0-9]+)*
    private static boolean isTypeValue(String v) {
        boolean afterAlnum = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                afterAlnum = true;
            } else if ((c == '.' || c == '_' || c == '-') && afterAlnum) {
                afterAlnum = false;
            } else {
                return false;
            }
        }
        return afterAlnum;
    }

    private static boolean isName(String n) {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c <= ' ' || c == 0x7f || c == ',' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAction(String a) {
        if (WILDCARD.equals(a)) {
            return true;
        }
        // Lowercase words joined by single hyphens: pull, scanner-pull (Harbor's name for it).
        boolean afterLetter = false;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c >= 'a' && c <= 'z') {
                afterLetter = true;
            } else if (c == '-' && afterLetter) {
                afterLetter = false;
            } else {
                return false;
            }
        }
        return afterLetter;
    }
}
