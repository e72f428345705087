package dev.ghost;

import dev.ghost.internal.tls.JdbcTls;
import dev.ghost.internal.tls.TlsFailures;
import dev.ghost.internal.tls.TlsMaterial;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * How ghost protects its connections with TLS: every connection it opens follows these settings, the binlog stream
 * included (the inspected server, the master it writes on, the control replicas). Immutable; build one from a mode
 * and add files:
 *
 * <pre>{@code
 * Tls.verifyIdentity()                                     // gh-ost's --ssl: verify the CA and the host name
 *     .ca(Path.of("/etc/mysql/ca.pem"))                    // --ssl-ca: trust only this CA
 *     .clientCertificate(Path.of("client-cert.pem"),       // --ssl-cert and --ssl-key: prove who ghost is
 *                        Path.of("client-key.pem"));
 * Tls.required();                                          // --ssl --ssl-allow-insecure: encrypt, verify nothing
 * }</pre>
 *
 * <p>Files are PEM, as MySQL's own: the CA file holds one or more certificates; the client key is an unencrypted
 * PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) key. They are read and checked
 * when the migration is built, and read again when it connects: for the JDBC connections whenever a file changed
 * (a certificate renewed in place is used by the next connection), for the binlog stream when it starts.
 *
 * <p>The default, {@link #preferred()}, encrypts when the server offers TLS and verifies nothing, as MySQL's own
 * clients do. A server that is to be trusted needs {@link #verifyCa()} or {@link #verifyIdentity()}.
 */
public final class Tls {

    /** How much TLS a connection demands (MySQL's {@code --ssl-mode} values). */
    public enum Mode {
        /** No TLS: every connection is plain text. */
        DISABLED,
        /** TLS when the server offers it, plain text otherwise; the certificate is not verified. */
        PREFERRED,
        /** TLS or no connection; the certificate is not verified (gh-ost's {@code --ssl --ssl-allow-insecure}). */
        REQUIRED,
        /** TLS, and the server's certificate must be signed by a trusted CA; its host name is not checked. */
        VERIFY_CA,
        /**
         * TLS, a certificate signed by a trusted CA, and naming the host ghost connects to (a DNS or IP subject
         * alternative name, or the common name): gh-ost's {@code --ssl}.
         */
        VERIFY_IDENTITY;

        /**
         * Whether the server's certificate is checked against the trusted CAs.
         *
         * @return true for {@link #VERIFY_CA} and {@link #VERIFY_IDENTITY}
         */
        public boolean verifiesCertificate() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }

        /**
         * Whether a connection fails rather than go on in plain text.
         *
         * @return true for every mode but {@link #DISABLED} and {@link #PREFERRED}
         */
        public boolean requiresTls() {
            return this == REQUIRED || verifiesCertificate();
        }
    }

    private static final Tls PREFERRED = new Tls(Mode.PREFERRED, null, null, null);

    private final Mode mode;
    private final Path ca;
    private final Path clientCertificate;
    private final Path clientKey;

    private Tls(Mode mode, Path ca, Path clientCertificate, Path clientKey) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.ca = ca;
        this.clientCertificate = clientCertificate;
        this.clientKey = clientKey;
    }

    /**
     * The given mode, with no files: the JVM's default trust store decides which CAs are trusted.
     *
     * @param mode how much TLS to demand
     * @return the settings
     */
    public static Tls of(Mode mode) {
        return new Tls(mode, null, null, null);
    }

    /**
     * Plain-text connections only.
     *
     * @return settings of mode {@link Mode#DISABLED}
     */
    public static Tls disabled() {
        return of(Mode.DISABLED);
    }

    /**
     * The default: TLS when the server offers it, unverified.
     *
     * @return settings of mode {@link Mode#PREFERRED}
     */
    public static Tls preferred() {
        return PREFERRED;
    }

    /**
     * TLS without verifying the server: gh-ost's {@code --ssl --ssl-allow-insecure}.
     *
     * @return settings of mode {@link Mode#REQUIRED}
     */
    public static Tls required() {
        return of(Mode.REQUIRED);
    }

    /**
     * TLS with the server's certificate verified against the trusted CAs, but not its host name.
     *
     * @return settings of mode {@link Mode#VERIFY_CA}
     */
    public static Tls verifyCa() {
        return of(Mode.VERIFY_CA);
    }

    /**
     * TLS with the certificate and the host name verified: gh-ost's {@code --ssl}.
     *
     * @return settings of mode {@link Mode#VERIFY_IDENTITY}
     */
    public static Tls verifyIdentity() {
        return of(Mode.VERIFY_IDENTITY);
    }

    /**
     * These settings, trusting only the CA certificates in {@code caPem} (gh-ost's {@code --ssl-ca}) instead of the
     * JVM's default trust store. Used only by the modes that verify the certificate.
     *
     * @param caPem a PEM file of one or more CA certificates
     * @return new settings; this instance is unchanged
     */
    public Tls ca(Path caPem) {
        return new Tls(mode, Objects.requireNonNull(caPem, "caPem"), clientCertificate, clientKey);
    }

    /**
     * These settings, presenting a client certificate (gh-ost's {@code --ssl-cert} and {@code --ssl-key}), for
     * users created with {@code REQUIRE X509} or {@code REQUIRE SUBJECT}.
     *
     * @param certificatePem the client's certificate, PEM
     * @param keyPem its private key, unencrypted PEM (PKCS#8 or PKCS#1 RSA)
     * @return new settings; this instance is unchanged
     */
    public Tls clientCertificate(Path certificatePem, Path keyPem) {
        return new Tls(mode, ca, Objects.requireNonNull(certificatePem, "certificatePem"),
                Objects.requireNonNull(keyPem, "keyPem"));
    }

    /**
     * How much TLS a connection demands.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The CA file, when one is given.
     *
     * @return the file given to {@link #ca(Path)}, or empty
     */
    public Optional<Path> caFile() {
        return Optional.ofNullable(ca);
    }

    /**
     * The client certificate file, when one is given.
     *
     * @return the certificate given to {@link #clientCertificate(Path, Path)}, or empty
     */
    public Optional<Path> clientCertificateFile() {
        return Optional.ofNullable(clientCertificate);
    }

    /**
     * The client key file, when one is given.
     *
     * @return the key given to {@link #clientCertificate(Path, Path)}, or empty
     */
    public Optional<Path> clientKeyFile() {
        return Optional.ofNullable(clientKey);
    }

    /**
     * What is wrong with these settings, empty when nothing: files that cannot be read or hold no usable
     * certificate or key, a key that does not belong to its certificate. Reads the files; touches no server.
     *
     * @return one text per problem, naming the file
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        TlsMaterial.check(this, problems);
        return problems;
    }

    /**
     * An SSL context that follows these settings, for an {@link dev.ghost.spi.EventSource} that opens its own
     * connection: it trusts the CA file (or the JVM's default trust store; or, in the modes that verify nothing,
     * every certificate) and presents the client certificate. Checking the host name is the caller's (see
     * {@link Mode#VERIFY_IDENTITY}): set the endpoint identification algorithm {@code HTTPS} on the socket.
     *
     * @return a new context, initialised with these settings' trust and key managers
     * @throws IllegalStateException when a file cannot be read or used
     */
    public SSLContext sslContext() {
        return TlsMaterial.sslContext(this);
    }

    /**
     * The MySQL Connector/J properties that make a connection follow these settings ({@code sslMode}, and the trust
     * and client key stores made from the PEM files), for code that opens its own JDBC connections next to ghost's.
     * The key stores are written once per settings (and again when a file changes) to owner-only temporary files,
     * deleted when the JVM exits.
     *
     * @return properties to add to a Connector/J connection's own
     * @throws IllegalStateException when a file cannot be read or used
     */
    public Properties jdbcProperties() {
        return JdbcTls.properties(this);
    }

    /**
     * Why a connection made with these settings failed, when TLS made it fail: a certificate that no trusted CA
     * signed, a server without TLS, a refused client certificate; with what to change. Empty for other failures.
     *
     * @param failure the exception the connection attempt threw
     * @return the explanation, or empty when TLS is not the cause
     * @param server the server connected to, as {@code host:port}, for the message
     */
    public Optional<String> failureReason(Throwable failure, String server) {
        return TlsFailures.explain(failure, this, server);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tls that && mode == that.mode && Objects.equals(ca, that.ca)
                && Objects.equals(clientCertificate, that.clientCertificate)
                && Objects.equals(clientKey, that.clientKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, ca, clientCertificate, clientKey);
    }

    @Override
    public String toString() {
        return "Tls[" + mode + (ca == null ? "" : ", ca=" + ca)
                + (clientCertificate == null ? "" : ", cert=" + clientCertificate + ", key=" + clientKey) + "]";
    }
}
