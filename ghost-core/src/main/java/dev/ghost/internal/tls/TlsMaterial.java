package dev.ghost.internal.tls;

import dev.ghost.Tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The key material of one {@link Tls}: the CA certificates as a trust store, the client certificate and key as a key
 * store, and an SSL context made of them, read from the files at each call (callers keep what they made).
 */
public final class TlsMaterial {

    private static final String CLIENT_ALIAS = "client";

    private TlsMaterial() {
    }

    /** Adds what is wrong with the files of {@code tls} to {@code problems}. */
    public static void check(Tls tls, List<String> problems) {
        tls.caFile().ifPresent(ca -> {
            try {
                PemFiles.certificates(ca, "the CA file");
            } catch (IllegalArgumentException e) {
                problems.add("tls: " + e.getMessage());
            }
        });
        if (tls.clientCertificateFile().isPresent()) {
            try {
                clientEntry(tls);
            } catch (IllegalArgumentException e) {
                problems.add("tls: " + e.getMessage());
            }
        }
    }

    /**
     * The CA certificates as a PKCS#12 trust store, or null when no CA file is given (the JVM's default trust store
     * applies then).
     */
    static KeyStore trustStore(Tls tls) {
        if (tls.caFile().isEmpty()) {
            return null;
        }
        Path ca = tls.caFile().get();
        List<X509Certificate> certificates = PemFiles.certificates(ca, "the CA file");
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust store of " + ca + ": " + e.getMessage(), e);
        }
    }

    /** The client certificate and key as a PKCS#12 key store protected by {@code password}; null when none given. */
    static KeyStore keyStore(Tls tls, char[] password) {
        if (tls.clientCertificateFile().isEmpty()) {
            return null;
        }
        ClientEntry entry = clientEntry(tls);
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry(CLIENT_ALIAS, entry.key(), password, entry.chain());
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key store of " + tls.clientCertificateFile().get() + ": "
                    + e.getMessage(), e);
        }
    }

    /** See {@link Tls#sslContext()}. */
    public static SSLContext sslContext(Tls tls) {
        try {
            TrustManager[] trust;
            if (!tls.mode().verifiesCertificate()) {
                trust = new TrustManager[] {TRUST_EVERYTHING};
            } else {
                TrustManagerFactory trustFactory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustFactory.init(trustStore(tls)); // null: the JVM's default trust store
                trust = trustFactory.getTrustManagers();
            }
            KeyManager[] keys = null;
            char[] password = "ghost".toCharArray(); // in memory only
            KeyStore clientStore = keyStore(tls, password);
            if (clientStore != null) {
                KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyFactory.init(clientStore, password);
                keys = keyFactory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS (" + tls + "): " + e.getMessage(), e);
        }
    }

    private record ClientEntry(PrivateKey key, Certificate[] chain) {
    }

    /** The client certificate's chain and key, checked to belong together. */
    private static ClientEntry clientEntry(Tls tls) {
        Path certificateFile = tls.clientCertificateFile().orElseThrow();
        Path keyFile = tls.clientKeyFile().orElseThrow();
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, "the client certificate file");
        PrivateKey key = PemFiles.privateKey(keyFile, "the client key file");
        if (!belongTogether(key, chain.get(0))) {
            throw new IllegalArgumentException("the client key file " + keyFile + " does not belong to the "
                    + "certificate in " + certificateFile + " (" + chain.get(0).getSubjectX500Principal().getName()
                    + "); give the key the certificate was made for");
        }
        return new ClientEntry(key, chain.toArray(new Certificate[0]));
    }

    /** Signs a few bytes with the key and verifies them with the certificate: true when they are one pair. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // cannot tell here; the handshake will
        }
        try {
            byte[] probe = "ghost key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key against an EC certificate
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an empty store reads nothing
        }
        return store;
    }

    /**
     * The modes that verify nothing (what MySQL's clients do with {@code --ssl-mode=REQUIRED}): the connection is
     * encrypted, but against a passive listener only.
     */
    private static final X509TrustManager TRUST_EVERYTHING = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
