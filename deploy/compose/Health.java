// The health check of berth's six containers (docker-compose.yml, ADR 0042). Their images have
// no shell and no curl, only the Java runtime: Docker runs this file with Java's single-file
// source launcher, `java /berth/Health.java <url>`, inside the container. Exit 0 when the URL
// answers 200 within two seconds, 1 otherwise (what Docker's HEALTHCHECK expects).
// java.base only, so that it needs nothing from the image but the launcher and jdk.compiler.
import java.net.HttpURLConnection;
import java.net.URI;

public class Health {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java Health.java <url>");
            System.exit(2);
        }
        try {
            var connection = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            // Docker keeps the last lines of a check's output: the status says why it failed.
            System.out.println(args[0] + " " + status);
            System.exit(status == 200 ? 0 : 1);
        } catch (Exception e) {
            System.out.println(args[0] + " " + e);
            System.exit(1);
        }
    }
}
