import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes the JRE's trust store (cacerts) of berth's image base from the Mozilla CA certificates
 * that Debian's ca-certificates package ships, deterministically: the same certificates give the
 * same bytes.
 *
 * <p>Debian's own hook (ca-certificates-java) writes a password-protected PKCS#12 store, whose
 * random salts and IVs make every build differ. A trust store holds nothing secret, so this one
 * is an unprotected PKCS#12 (no certificate encryption, no MAC: what JDK 17 writes when both
 * algorithms are NONE), which the JRE reads with or without a password. Entries are added in the
 * sorted order of their file names, aliased "debian:<name>.pem" as Debian's hook names them.
 *
 * <p>Run with the source launcher: {@code java TrustStore.java <dir of *.crt> <cacerts>}.
 */
public final class TrustStore {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java TrustStore.java <dir of PEM *.crt> <output cacerts>");
            System.exit(2);
        }
        Security.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
        Security.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".crt")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no *.crt files in " + args[0]);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (Path file : files) {
            try (InputStream in = new FileInputStream(file.toFile())) {
                X509Certificate cert = (X509Certificate) x509.generateCertificate(in);
                String name = file.getFileName().toString();
                String alias = "debian:" + name.substring(0, name.length() - ".crt".length()).toLowerCase(Locale.ROOT) + ".pem";
                store.setCertificateEntry(alias, cert);
            }
        }
        try (OutputStream out = new FileOutputStream(args[1])) {
            store.store(out, new char[0]);
        }
        System.out.println(files.size() + " certificates written to " + args[1]);
    }
}
