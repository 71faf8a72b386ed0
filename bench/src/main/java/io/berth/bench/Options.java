package io.berth.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@link Main}, parsed; every mistake is an IllegalArgumentException saying which. */
final class Options {

    final Map<String, URI> targets = new LinkedHashMap<>();
    final Map<String, String> users = new LinkedHashMap<>();
    final Map<String, String> admins = new LinkedHashMap<>();
    final Map<String, Map<String, Long>> procs = new LinkedHashMap<>();
    final Map<String, String> descriptions = new LinkedHashMap<>();
    final Map<String, URI> tokenUrls = new LinkedHashMap<>();
    final Map<String, String> tokenRobots = new LinkedHashMap<>();
    final Map<String, String> tokenUsers = new LinkedHashMap<>();
    final Map<String, Map<String, Long>> tokenProcs = new LinkedHashMap<>();
    String reference = "distribution";
    /** More registries checked against a reference of their own, subject → reference. */
    final Map<String, String> pairs = new LinkedHashMap<>();
    java.util.Set<String> blobsOnly = java.util.Set.of();
    Profile profile = Profile.FULL;
    String namespace;
    List<String> only = List.of();
    List<String> skip = List.of();
    Path out;
    Path trace;
    String command;
    boolean failOnErrors;
    /** Skip the uncounted first pass of the small pushes and reads (the caller warmed up itself). */
    boolean noWarmUp;
    int clients;
    int rounds;
    List<String> raw;

    /** The options, or null when help was asked for. */
    static Options parse(String[] args) {
        Options o = new Options();
        o.raw = List.of(args);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                return null;
            }
            if (flag.equals("--fail-on-errors")) {
                o.failOnErrors = true;
                continue;
            }
            if (flag.equals("--no-warm-up")) {
                o.noWarmUp = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--target" -> {
                    String[] kv = pair(flag, value);
                    o.targets.put(kv[0], url(flag, value, kv[1]));
                }
                case "--user" -> credentials(o.users, flag, value);
                case "--admin" -> credentials(o.admins, flag, value);
                case "--procs" -> processes(o.procs, flag, value);
                case "--token-url" -> {
                    String[] kv = pair(flag, value);
                    o.tokenUrls.put(kv[0], url(flag, value, kv[1]));
                }
                case "--token-robot" -> credentials(o.tokenRobots, flag, value);
                case "--token-user" -> credentials(o.tokenUsers, flag, value);
                case "--token-procs" -> processes(o.tokenProcs, flag, value);
                case "--describe" -> {
                    String[] kv = pair(flag, value);
                    o.descriptions.put(kv[0], kv[1]);
                }
                case "--reference" -> o.reference = value;
                case "--pair" -> {
                    String[] kv = pair(flag, value);
                    o.pairs.put(kv[0], kv[1]);
                }
                case "--blobs-only" -> o.blobsOnly = java.util.Set.of(value.split(","));
                case "--profile" -> o.profile = Profile.named(value);
                case "--clients" -> o.clients = upTo1000(flag, value);
                case "--rounds" -> o.rounds = upTo1000(flag, value);
                case "--namespace" -> o.namespace = value;
                case "--only" -> o.only = Arrays.asList(value.split(","));
                case "--skip" -> o.skip = Arrays.asList(value.split(","));
                case "--out" -> o.out = Path.of(value);
                case "--trace" -> o.trace = Path.of(value);
                case "--command" -> o.command = value;
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        o.profile = o.profile.withClients(o.clients).withRounds(o.rounds);
        if (o.targets.isEmpty()) {
            throw new IllegalArgumentException("name at least one --target");
        }
        for (Map<String, ?> m : List.of(o.users, o.admins, o.procs, o.descriptions, o.tokenUrls, o.tokenRobots, o.tokenUsers,
                o.tokenProcs, o.pairs)) {
            for (String name : m.keySet()) {
                if (!o.targets.containsKey(name)) {
                    throw new IllegalArgumentException("no --target named " + name);
                }
            }
        }
        for (String name : o.blobsOnly) {
            if (!o.targets.containsKey(name)) {
                throw new IllegalArgumentException("--blobs-only names no --target " + name);
            }
        }
        for (Map.Entry<String, String> p : o.pairs.entrySet()) {
            if (!o.targets.containsKey(p.getValue()) || p.getKey().equals(p.getValue())) {
                throw new IllegalArgumentException("--pair " + p.getKey() + "=" + p.getValue()
                        + ": the reference must be another --target");
            }
        }
        return o;
    }

    /**
     * The command line as given, its passwords replaced by {@code ***}: what the report records
     * when no {@code --command} was given, so that a JSON file passed around holds no secret.
     */
    String commandLine() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            boolean secret = i > 0 && List.of("--user", "--admin", "--token-robot", "--token-user").contains(raw.get(i - 1));
            out.add(secret && arg.contains(":") ? arg.substring(0, arg.indexOf(':') + 1) + "***" : arg);
        }
        return String.join(" ", out);
    }

    boolean selects(String workload) {
        return (only.isEmpty() || only.stream().anyMatch(workload::startsWith))
                && skip.stream().noneMatch(workload::startsWith);
    }

    private static URI url(String flag, String value, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " " + value + ": not an http(s) URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException(flag + " " + value + ": not an http(s) URL");
        }
        return uri;
    }

    /** NAME=USER:PASSWORD into {@code into}; the password may hold '=' and ':'. */
    private static void credentials(Map<String, String> into, String flag, String value) {
        String[] kv = pair(flag, value);
        if (!kv[1].contains(":")) {
            throw new IllegalArgumentException(flag + " " + kv[0] + "=USER:PASSWORD");
        }
        into.put(kv[0], kv[1]);
    }

    /** NAME=LABEL:PID,... into {@code into}. */
    private static void processes(Map<String, Map<String, Long>> into, String flag, String value) {
        String[] kv = pair(flag, value);
        Map<String, Long> p = new LinkedHashMap<>();
        for (String entry : kv[1].split(",")) {
            String[] lp = entry.split(":", 2);
            try {
                p.put(lp[0], Long.parseLong(lp[1]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(flag + " " + value + ": LABEL:PID,...");
            }
        }
        into.put(kv[0], p);
    }

    /** A whole number from 1 to 1000, or a mistake naming the flag. */
    private static int upTo1000(String flag, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException(flag + " takes 1 to 1000");
        }
        return n;
    }

    private static String[] pair(String flag, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new IllegalArgumentException(flag + " " + value + ": expected NAME=VALUE");
        }
        return new String[] {value.substring(0, eq), value.substring(eq + 1)};
    }
}
