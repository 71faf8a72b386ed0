package io.berth.scanner.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An adapter on HTTPS with a self-signed certificate (made by the JDK's keytool): refused unless insecure. */
class AdapterTlsTest {

    HttpsServer server;
    Path dir;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("berth-tls");
        Path store = dir.resolve("adapter.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "adapter", "-keyalg", "EC", "-dname",
                "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/api/v1/metadata", exchange -> {
            byte[] body = AdapterClientTest.METADATA.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        Files.deleteIfExists(dir.resolve("adapter.p12"));
        Files.deleteIfExists(dir);
    }

    ScannerEndpoint endpoint(boolean insecure) {
        return new ScannerEndpoint("tls", URI.create("https://127.0.0.1:" + server.getAddress().getPort()),
                AuthKind.NONE, null, insecure);
    }

    @Test
    void aSelfSignedCertificateIsATlsErrorUnlessInsecure() throws Exception {
        AdapterClient client = AdapterClientTest.client(Duration.ofSeconds(5), Duration.ofSeconds(5));
        AdapterException e = assertThrows(AdapterException.class, () -> client.metadata(endpoint(false)));
        assertEquals(AdapterException.Reason.TLS, e.reason(), e.getMessage());
        assertEquals("Trivy", client.metadata(endpoint(true)).name());
    }
}
