package io.berth.scanner.adapter;

import java.util.Locale;

/**
 * The media types of the Pluggable Scanner API v1.1 (goharbor/pluggable-scanner-spec) and the
 * SBOM report type that its v1.2 adds, as berth's client sends them and berth's server answers.
 */
public final class SpecMediaTypes {

    public static final String METADATA_1_0 = "application/vnd.scanner.adapter.metadata+json; version=1.0";
    public static final String METADATA_1_1 = "application/vnd.scanner.adapter.metadata+json; version=1.1";
    public static final String SCAN_REQUEST_1_1 = "application/vnd.scanner.adapter.scan.request+json; version=1.1";
    public static final String SCAN_RESPONSE = "application/vnd.scanner.adapter.scan.response+json; version=1.0";
    public static final String ERROR = "application/vnd.scanner.adapter.error+json; version=1.0";
    /** The vulnerability report of v1.1 (the one berth asks for first). */
    public static final String VULN_REPORT_1_1 = "application/vnd.security.vulnerability.report; version=1.1";
    /** The same report under v1.0's name, which older adapters and Harbor versions use. */
    public static final String VULN_REPORT_HARBOR_1_0 = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
    /** The SBOM report of v1.2. */
    public static final String SBOM_REPORT_1_0 = "application/vnd.security.sbom.report+json; version=1.0";
    public static final String CYCLONEDX = "application/vnd.cyclonedx+json";
    public static final String SPDX = "application/spdx+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** The header that carries an API key when the auth kind is {@code api-key} (as Harbor sends it). */
    public static final String API_KEY_HEADER = "X-ScannerAdapter-API-Key";

    private SpecMediaTypes() {}

    /** A media type in one spelling: lower case, no blanks ({@code a/b;version=1.1}), for comparisons. */
    public static String normalize(String mediaType) {
        return mediaType == null ? "" : mediaType.replace(" ", "").replace("\t", "").toLowerCase(Locale.ROOT);
    }

    /** Whether {@code a} and {@code b} are the same media type, parameters included, blanks and case aside. */
    public static boolean same(String a, String b) {
        return normalize(a).equals(normalize(b));
    }
}
