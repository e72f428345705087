package dev.ghost;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS settings: what the files must hold, and what the JDBC driver is given. No server needed. */
class TlsTest {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    static Path dir;

    /** A CA, a client certificate it signed with its key in PKCS#8 and PKCS#1 form, and another key. */
    @BeforeAll
    static void makeFiles() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL), "no openssl to make test certificates with");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=client",
                "-keyout", "client-key.pem", "-out", "client-cert.pem");
        openssl("rsa", "-in", "client-key.pem", "-traditional", "-out", "client-key-pkcs1.pem");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "other-key.pem");
        openssl("pkey", "-in", "client-key.pem", "-aes256", "-passout", "pass:secret", "-out", "encrypted-key.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1-key.pem");
        Files.writeString(dir.resolve("not-pem.txt"), "hello\n", StandardCharsets.US_ASCII);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as(output).isTrue();
    }

    @Test
    void validFilesHaveNoProblems() {
        assertThat(Tls.verifyIdentity().ca(dir.resolve("ca.pem"))
                .clientCertificate(dir.resolve("client-cert.pem"), dir.resolve("client-key.pem")).problems())
                .isEmpty();
        assertThat(Tls.verifyCa().clientCertificate(dir.resolve("client-cert.pem"),
                dir.resolve("client-key-pkcs1.pem")).problems()).as("PKCS#1, as mysql_ssl_rsa_setup writes").isEmpty();
        assertThat(Tls.preferred().problems()).isEmpty();
    }

    @Test
    void namesTheFileAndWhatIsWrongWithIt() {
        assertThat(Tls.verifyIdentity().ca(dir.resolve("missing.pem")).problems())
                .containsExactly("tls: the CA file " + dir.resolve("missing.pem") + " does not exist or is not a file");
        assertThat(Tls.verifyIdentity().ca(dir.resolve("not-pem.txt")).problems()).singleElement().asString()
                .contains("the CA file " + dir.resolve("not-pem.txt") + " holds no PEM certificate");
        assertThat(Tls.verifyIdentity().clientCertificate(dir.resolve("client-cert.pem"),
                dir.resolve("other-key.pem")).problems()).singleElement().asString()
                .contains("the client key file " + dir.resolve("other-key.pem") + " does not belong to the "
                        + "certificate in " + dir.resolve("client-cert.pem"));
        assertThat(Tls.verifyIdentity().clientCertificate(dir.resolve("client-cert.pem"),
                dir.resolve("encrypted-key.pem")).problems()).singleElement().asString()
                .contains("is encrypted with a passphrase", "openssl pkey");
        assertThat(Tls.verifyIdentity().clientCertificate(dir.resolve("client-cert.pem"),
                dir.resolve("ec-sec1-key.pem")).problems()).singleElement().asString()
                .contains("SEC1", "openssl pkcs8 -topk8 -nocrypt");
        assertThat(Tls.verifyIdentity().clientCertificate(dir.resolve("client-cert.pem"),
                dir.resolve("ca.pem")).problems()).singleElement().asString()
                .contains("holds no PEM private key");
    }

    @Test
    void theBuilderRefusesUnusableFilesBeforeConnecting() {
        assertThatThrownBy(() -> OnlineSchemaChange.builder().connection("127.0.0.1", 1, "u", "p")
                .database("d").table("t").alter("ADD COLUMN c INT")
                .tls(Tls.verifyIdentity().ca(dir.resolve("missing.pem"))).build())
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("tls: the CA file " + dir.resolve("missing.pem") + " does not exist");
        assertThatThrownBy(() -> OnlineSchemaChange.builder().connection("127.0.0.1", 1, "u", "p")
                .database("d").table("t").alter("ADD COLUMN c INT").tls(null).build())
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("tls: null; use Tls.preferred()");
    }

    @Test
    void theDriverGetsTheModeAndAnOwnerOnlyTrustStoreOfTheCa() throws Exception {
        Properties verified = Tls.verifyIdentity().ca(dir.resolve("ca.pem"))
                .clientCertificate(dir.resolve("client-cert.pem"), dir.resolve("client-key-pkcs1.pem"))
                .jdbcProperties();

        assertThat(verified).containsEntry("sslMode", "VERIFY_IDENTITY")
                .containsEntry("trustCertificateKeyStoreType", "PKCS12")
                .containsEntry("fallbackToSystemTrustStore", "false")
                .containsEntry("clientCertificateKeyStoreType", "PKCS12")
                .containsEntry("fallbackToSystemKeyStore", "false");
        for (String store : List.of("trustCertificateKeyStoreUrl", "clientCertificateKeyStoreUrl")) {
            Path file = Path.of(java.net.URI.create(verified.getProperty(store)));
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        // the same settings reuse the same stores
        assertThat(Tls.verifyIdentity().ca(dir.resolve("ca.pem"))
                .clientCertificate(dir.resolve("client-cert.pem"), dir.resolve("client-key-pkcs1.pem"))
                .jdbcProperties()).isEqualTo(verified);
    }

    @Test
    void modesThatVerifyNothingGetNoTrustStore() {
        assertThat(Tls.preferred().jdbcProperties()).containsOnlyKeys("sslMode").containsEntry("sslMode", "PREFERRED");
        assertThat(Tls.disabled().jdbcProperties()).containsOnlyKeys("sslMode").containsEntry("sslMode", "DISABLED");
        assertThat(Tls.required().ca(dir.resolve("ca.pem")).jdbcProperties()).containsOnlyKeys("sslMode");
        assertThat(Tls.verifyCa().jdbcProperties()).as("the JVM's default trust store")
                .containsOnlyKeys("sslMode").containsEntry("sslMode", "VERIFY_CA");
    }

    @Test
    void anSslContextCanBeMadeForEveryMode() {
        for (Tls.Mode mode : Tls.Mode.values()) {
            assertThat(Tls.of(mode).ca(dir.resolve("ca.pem"))
                    .clientCertificate(dir.resolve("client-cert.pem"), dir.resolve("client-key.pem")).sslContext())
                    .isNotNull();
        }
        assertThatThrownBy(() -> Tls.verifyCa().ca(dir.resolve("missing.pem")).sslContext())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
    }

    @Test
    void modesSayWhatTheyDemand() {
        assertThat(Tls.Mode.PREFERRED.requiresTls()).isFalse();
        assertThat(Tls.Mode.REQUIRED.requiresTls()).isTrue();
        assertThat(Tls.Mode.REQUIRED.verifiesCertificate()).isFalse();
        assertThat(Tls.Mode.VERIFY_IDENTITY.verifiesCertificate()).isTrue();
        assertThat(Tls.verifyIdentity().ca(Path.of("/a"))).isEqualTo(Tls.verifyIdentity().ca(Path.of("/a")))
                .isNotEqualTo(Tls.verifyCa().ca(Path.of("/a")));
    }
}
