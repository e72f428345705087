package dev.ghost.internal.tls;

import dev.ghost.Tls;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connector/J's TLS properties for one {@link Tls}. The driver reads key stores only from URLs, not PEM files nor
 * objects in memory, so the PEM files are converted once per settings into PKCS#12 files in an owner-only temporary
 * directory, protected by a random password kept in memory, and deleted when the JVM exits.
 */
public final class JdbcTls {

    /**
     * Per settings and version of their files: every connection of a migration reuses the same stores, and a
     * certificate renewed in place (a new modification time) is converted again for the next connection.
     */
    private static final Map<Converted, Properties> CONVERTED = new ConcurrentHashMap<>();

    private record Converted(Tls tls, List<Object> fileVersions) {
    }

    private JdbcTls() {
    }

    /** A fresh copy of the properties; converts the files the first time, and again when they changed. */
    public static Properties properties(Tls tls) {
        List<Object> versions = new ArrayList<>();
        for (Optional<Path> file : List.of(tls.caFile(), tls.clientCertificateFile(), tls.clientKeyFile())) {
            versions.add(file.map(JdbcTls::version).orElse(""));
        }
        Properties properties = new Properties();
        properties.putAll(CONVERTED.computeIfAbsent(new Converted(tls, versions), key -> convert(key.tls())));
        return properties;
    }

    private static Object version(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
        } catch (IOException e) {
            return "unreadable"; // the conversion reports it
        }
    }

    private static Properties convert(Tls tls) {
        Properties properties = new Properties();
        properties.setProperty("sslMode", tls.mode().name());
        if (tls.mode() == Tls.Mode.DISABLED) {
            return properties;
        }
        try {
            String password = randomPassword();
            KeyStore trust = tls.mode().verifiesCertificate() ? TlsMaterial.trustStore(tls) : null;
            KeyStore client = TlsMaterial.keyStore(tls, password.toCharArray());
            if (trust == null && client == null) {
                return properties;
            }
            Path directory = ownerOnlyDirectory();
            directory.toFile().deleteOnExit();
            if (trust != null) {
                Path file = write(directory.resolve("trust.p12"), trust, password);
                properties.setProperty("trustCertificateKeyStoreUrl", file.toUri().toString());
                properties.setProperty("trustCertificateKeyStoreType", "PKCS12");
                properties.setProperty("trustCertificateKeyStorePassword", password);
                // gh-ost's --ssl-ca: only the given CA is trusted, not the JVM's default ones besides
                properties.setProperty("fallbackToSystemTrustStore", "false");
            }
            if (client != null) {
                Path file = write(directory.resolve("client.p12"), client, password);
                properties.setProperty("clientCertificateKeyStoreUrl", file.toUri().toString());
                properties.setProperty("clientCertificateKeyStoreType", "PKCS12");
                properties.setProperty("clientCertificateKeyStorePassword", password);
                properties.setProperty("fallbackToSystemKeyStore", "false");
            }
            return properties;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the TLS key stores for the JDBC driver to a temporary "
                    + "directory (" + e.getMessage() + "); check java.io.tmpdir", e);
        }
    }

    private static Path ownerOnlyDirectory() throws IOException {
        try {
            return Files.createTempDirectory("ghost-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Path directory = Files.createTempDirectory("ghost-tls-");
            File asFile = directory.toFile();
            asFile.setReadable(false, false);
            asFile.setReadable(true, true);
            asFile.setWritable(false, false);
            asFile.setWritable(true, true);
            asFile.setExecutable(false, false);
            asFile.setExecutable(true, true);
            return directory;
        }
    }

    private static Path write(Path file, KeyStore store, String password)
            throws IOException, GeneralSecurityException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file); // inside the owner-only directory
        }
        file.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
