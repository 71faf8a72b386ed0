package io.berth.replicator.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lists a {@link RegistryClient} reads: the catalog, a repository's tags and a manifest's
 * referrers, each followed over all its pages ({@code Link: <...>; rel="next"}, as the
 * distribution spec pages them).
 */
final class Listings {

    /** A page holds at most this many bytes of JSON (a page of 1000 long names fits easily). */
    private static final int MAX_PAGE = 4 * 1024 * 1024;
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;

    Listings(RegistryClient client) {
        this.client = client;
    }

    List<String> catalog(int pageSize) {
        List<String> names = new ArrayList<>();
        String next = "/v2/_catalog?n=" + pageSize;
        while (next != null) {
            String here = next;
            HttpResponse<InputStream> r = client.send(() -> client.request(here).GET(),
                    List.of("registry:catalog:*"), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                client.check(r, 200, "GET of the catalog", Bodies.text(r));
            }
            JsonNode page = json(r, "the catalog");
            page.path("repositories").forEach(n -> names.add(n.asText()));
            next = next(r);
        }
        return names;
    }

    List<String> tags(String repository, int pageSize) {
        List<String> tags = new ArrayList<>();
        String next = "/v2/" + repository + "/tags/list?n=" + pageSize;
        while (next != null) {
            String here = next;
            HttpResponse<InputStream> r = client.send(() -> client.request(here).GET(), RegistryClient.pull(repository),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() == 404) {
                // NAME_UNKNOWN: a repository without tags is not there at all for distribution.
                Bodies.text(r);
                return tags;
            }
            if (r.statusCode() != 200) {
                client.check(r, 200, "GET of the tags of " + repository, Bodies.text(r));
            }
            // distribution answers "tags": null for a repository whose tags were all deleted.
            json(r, "the tags of " + repository).path("tags").forEach(n -> tags.add(n.asText()));
            next = next(r);
        }
        return tags;
    }

    /**
     * The referrers API's answer; where the registry has none (404 without an OCI error body,
     * or 405), the referrers tag schema's index ({@code sha256-<hex>}); neither: empty.
     */
    List<Referrer> referrers(String repository, Digest subject) {
        List<Referrer> found = new ArrayList<>();
        String next = RegistryClient.path(repository, "referrers", subject.toString());
        while (next != null) {
            String here = next;
            HttpResponse<InputStream> r = client.send(() -> client.request(here).header("Accept", MediaTypes.OCI_INDEX)
                    .GET(), RegistryClient.pull(repository), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() == 404 || r.statusCode() == 405) {
                String body = Bodies.text(r);
                if (r.statusCode() == 404 && !Bodies.message(body).isEmpty()) {
                    return found; // the API exists and knows no such repository or subject
                }
                return found.isEmpty() ? fallback(repository, subject) : found;
            }
            if (r.statusCode() != 200) {
                client.check(r, 200, "GET of the referrers of " + subject + " in " + repository,
                        Bodies.text(r));
            }
            found.addAll(descriptors(json(r, "the referrers of " + subject)));
            next = next(r);
        }
        return found;
    }

    /** The referrers tag schema's tag of {@code subject}: {@code sha256-<hex>}. */
    static String fallbackTag(Digest subject) {
        return subject.toString().replace(':', '-');
    }

    /** The descriptors of an index's {@code manifests}. */
    static List<Referrer> descriptors(JsonNode index) {
        List<Referrer> list = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            String type = m.path("artifactType").asText(null);
            list.add(new Referrer(RegistryClient.parse(m.path("digest").asText()), m.path("mediaType").asText(null),
                    type, m.path("size").asLong(-1)));
        }
        return list;
    }

    private List<Referrer> fallback(String repository, Digest subject) {
        try {
            RemoteManifest index = client.getManifest(repository, fallbackTag(subject));
            return descriptors(JSON.readTree(index.bytes()));
        } catch (RemoteException e) {
            if (e.reason() == RemoteException.Reason.NOT_FOUND) {
                return List.of();
            }
            throw e;
        } catch (IOException e) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "the referrers tag " + fallbackTag(subject)
                    + " in " + repository + " at " + client.target().url() + " is not JSON", 200, e);
        }
    }

    private JsonNode json(HttpResponse<InputStream> r, String what) {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_PAGE + 1);
            if (bytes.length > MAX_PAGE) {
                throw new RemoteException(RemoteException.Reason.REJECTED, "a page of " + what + " at "
                        + client.target().url() + " is larger than " + MAX_PAGE + " bytes", 200, null);
            }
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new RemoteException(RemoteException.Reason.REJECTED, what + " at " + client.target().url()
                    + " is not JSON", 200, e);
        }
    }

    /** The path and query of the next page ({@code Link: <...>; rel="next"}), or null for the last page. */
    private String next(HttpResponse<?> r) {
        for (String link : r.headers().allValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                URI to = r.uri().resolve(m.group(1));
                if (!sameOrigin(to, URI.create(client.target().url().toString()))) {
                    throw new RemoteException(RemoteException.Reason.REJECTED, client.target().url()
                            + " pages to another host (" + to.getHost() + "); not followed", r.statusCode(), null);
                }
                String base = client.target().url().getRawPath();
                String path = to.getRawPath();
                if (!base.isEmpty() && path.startsWith(base)) {
                    path = path.substring(base.length());
                }
                return path + (to.getRawQuery() == null ? "" : "?" + to.getRawQuery());
            }
        }
        return null;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }
}
