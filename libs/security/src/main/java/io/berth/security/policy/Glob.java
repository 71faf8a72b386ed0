package io.berth.security.policy;

import java.util.regex.Pattern;

/**
 * A compiled glob, the pattern language of berth's project rules (tag immutability, retention
 * selectors), close to Harbor's doublestar patterns:
 * <ul>
 *   <li>{@code *} matches any run of characters except {@code /};
 *   <li>{@code **} matches any run of characters, {@code /} included;
 *   <li>{@code ?} matches one character except {@code /};
 *   <li>{@code {a,b}} matches either alternative (no nesting);
 *   <li>everything else matches itself ({@code .} is a dot).
 * </ul>
 * A glob is 1 to {@value #MAX_LENGTH} of the characters {@code A-Z a-z 0-9 . _ - / * ? { } ,}:
 * the characters of repository paths and tags plus the operators, so a pattern can never be a
 * regular expression in disguise. Matching is against the whole string.
 *
 * <p>Immutable; safe to share between threads. {@code **}, literals and a literal followed by
 * {@code *} or {@code **} (most of what people write) are matched without a regular expression.
 */
public final class Glob {

    /** The longest glob accepted. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._\\-/*?{},]+");

    /** How {@link #matches} decides: most patterns people write need no regular expression. */
    private enum Kind { ALL, LITERAL, PREFIX_IN_SEGMENT, PREFIX, REGEX }

    private final String pattern;
    private final Kind kind;
    /** The literal part for LITERAL and the PREFIX kinds. */
    private final String literal;
    /** Null unless REGEX. */
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        String head = pattern.endsWith("**") ? pattern.substring(0, pattern.length() - 2)
                : pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        boolean plainHead = head.chars().noneMatch(c -> c == '*' || c == '?' || c == '{' || c == '}');
        if (regex == null) {
            this.kind = Kind.LITERAL;
        } else if (pattern.equals("**")) {
            this.kind = Kind.ALL;
        } else if (plainHead && pattern.endsWith("**")) {
            this.kind = Kind.PREFIX;
        } else if (plainHead && pattern.endsWith("*")) {
            this.kind = Kind.PREFIX_IN_SEGMENT;
        } else {
            this.kind = Kind.REGEX;
        }
        this.literal = kind == Kind.LITERAL ? pattern : head;
        this.regex = kind == Kind.REGEX ? regex : null;
    }

    /**
     * Compiles {@code glob}.
     *
     * @throws IllegalArgumentException if it is null, empty, longer than {@value #MAX_LENGTH},
     *     holds another character than those allowed, or has unbalanced or nested braces
     */
    public static Glob compile(String glob) {
        return compile("the pattern", glob);
    }

    /**
     * Compiles {@code glob}, naming it {@code name} in the message of a refusal, e.g.
     * {@code "a rule's tags is a glob of up to 255 letters, digits and . _ - / * ? { } ,"}.
     *
     * @throws IllegalArgumentException as {@link #compile(String)} does
     */
    public static Glob compile(String name, String glob) {
        if (glob == null || glob.isEmpty() || glob.length() > MAX_LENGTH || !ALLOWED.matcher(glob).matches()) {
            throw new IllegalArgumentException(name + " is a glob of up to " + MAX_LENGTH
                    + " letters, digits and . _ - / * ? { } ,");
        }
        return new Glob(glob, regex(glob));
    }

    /**
     * Checks {@code glob} without keeping it.
     *
     * @throws IllegalArgumentException as {@link #compile(String, String)} does
     */
    public static void validate(String name, String glob) {
        compile(name, glob);
    }

    /** Whether {@code value} as a whole matches this glob; false for null. */
    public boolean matches(String value) {
        if (value == null) {
            return false;
        }
        return switch (kind) {
            case ALL -> true;
            case LITERAL -> literal.equals(value);
            case PREFIX -> value.startsWith(literal);
            // "v*": the prefix, then anything but a '/'.
            case PREFIX_IN_SEGMENT -> value.startsWith(literal) && value.indexOf('/', literal.length()) < 0;
            case REGEX -> regex.matcher(value).matches();
        };
    }

    /** The glob as written. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** The regular expression the glob stands for, or null if the glob is a literal. */
    private static Pattern regex(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inBraces = false;
        boolean literal = true;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    literal = false;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> {
                    literal = false;
                    re.append("[^/]");
                }
                case '{' -> {
                    if (inBraces) {
                        throw new IllegalArgumentException("braces in a rule's glob cannot nest: " + glob);
                    }
                    literal = false;
                    inBraces = true;
                    re.append("(?:");
                }
                case '}' -> {
                    if (!inBraces) {
                        throw new IllegalArgumentException("a '}' without its '{' in a rule's glob: " + glob);
                    }
                    inBraces = false;
                    re.append(')');
                }
                case ',' -> re.append(inBraces ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inBraces) {
            throw new IllegalArgumentException("a '{' without its '}' in a rule's glob: " + glob);
        }
        return literal ? null : Pattern.compile(re.toString());
    }
}
