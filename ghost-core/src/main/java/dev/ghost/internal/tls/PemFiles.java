package dev.ghost.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files MySQL's own tools use: certificates, and unencrypted private keys in PKCS#8 or (RSA only)
 * PKCS#1 form, which is what {@code mysql_ssl_rsa_setup} and older {@code openssl genrsa} write. Every failure is an
 * {@link IllegalArgumentException} whose message names the file and says how to fix it.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** The key algorithms a PKCS#8 key may be for, tried in turn (the PKCS#8 header names it, but by OID). */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};
    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    /** Every certificate in the file, in order; at least one. */
    static List<X509Certificate> certificates(Path file, String what) {
        String text = read(file, what);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM cannot read X.509 certificates", e);
        }
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            if (!"CERTIFICATE".equals(block.group(1)) && !"TRUSTED CERTIFICATE".equals(block.group(1))) {
                continue;
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(decode(block.group(2), file, what))));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(what + " " + file + ": a certificate in it cannot be read ("
                        + e.getMessage() + "); give a PEM certificate file", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE"
                    + "-----); give a PEM certificate file" + (looksBinary(text) ? " (a DER file converts with "
                    + "openssl x509 -inform der -in FILE -out FILE.pem)" : ""));
        }
        return certificates;
    }

    /** The one private key in the file. */
    static PrivateKey privateKey(Path file, String what) {
        String text = read(file, what);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            String body = block.group(2);
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(decode(body, file, what), file, what);
                case "RSA PRIVATE KEY":
                    if (body.contains("ENCRYPTED")) {
                        throw encrypted(file, what);
                    }
                    return pkcs8(rsaPkcs1ToPkcs8(decode(body, file, what)), file, what);
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted(file, what);
                case "EC PRIVATE KEY":
                    throw new IllegalArgumentException(what + " " + file + " holds an EC key in the SEC1 form "
                            + "(BEGIN EC PRIVATE KEY); convert it to PKCS#8 with "
                            + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem and give that file");
                default:
                    // certificates or parameters next to the key: skip them
            }
        }
        throw new IllegalArgumentException(what + " " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY"
                + "----- or -----BEGIN RSA PRIVATE KEY-----); give the client certificate's private key");
    }

    private static IllegalArgumentException encrypted(Path file, String what) {
        return new IllegalArgumentException(what + " " + file + " is encrypted with a passphrase, which ghost cannot "
                + "ask for; decrypt it with openssl pkey -in " + file + " -out key-plain.pem, keep that file "
                + "readable by this user only, and give it");
    }

    private static PrivateKey pkcs8(byte[] der, Path file, String what) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(what + " " + file + ": the private key cannot be read (not RSA, EC or "
                + "EdDSA, or damaged); give an unencrypted PEM key");
    }

    /**
     * A PKCS#1 RSAPrivateKey wrapped as the PKCS#8 PrivateKeyInfo the JDK reads:
     * {@code SEQUENCE { INTEGER 0, AlgorithmIdentifier rsaEncryption, OCTET STRING pkcs1 }}.
     */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {0x02, 0x01, 0x00});
        content.writeBytes(RSA_ALGORITHM);
        content.write(0x04);
        content.writeBytes(derLength(pkcs1.length));
        content.writeBytes(pkcs1);
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.write(0x30);
        sequence.writeBytes(derLength(content.size()));
        sequence.writeBytes(content.toByteArray());
        return sequence.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] encoded = new byte[bytes + 1];
        encoded[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            encoded[bytes - i] = (byte) (length >>> (8 * i));
        }
        return encoded;
    }

    private static byte[] decode(String body, Path file, String what) {
        StringBuilder base64 = new StringBuilder();
        for (String line : body.split("\\R")) {
            // RFC 1421 headers (Proc-Type, DEK-Info) sit before the data, separated by colons
            if (!line.contains(":")) {
                base64.append(line.trim());
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + file + " is damaged: its base64 cannot be decoded", e);
        }
    }

    private static String read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist or is not a file");
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e.getMessage()
                    + "; check its permissions", e);
        }
    }

    private static boolean looksBinary(String text) {
        return !text.isEmpty() && text.charAt(0) == 0x30; // a DER SEQUENCE
    }
}
