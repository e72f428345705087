package dev.ghost.internal.tls;

import dev.ghost.Tls;

import javax.net.ssl.SSLException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;

/**
 * Says what went wrong with TLS when a connection failed, in terms of the settings to change: the drivers report a
 * wrong CA as "Communications link failure" caused, three levels down, by "PKIX path building failed".
 */
public final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * An explanation and a fix when {@code failure} (or one of its causes) is a TLS failure; empty otherwise.
     *
     * @param server the server connected to, {@code host:port}
     */
    public static Optional<String> explain(Throwable failure, Tls tls, String server) {
        boolean tlsFailure = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException
                    || lower.contains("pkix path") || lower.contains("unable to find valid certification path")) {
                return Optional.of("the TLS certificate of " + server + " is not signed by a CA ghost trusts ("
                        + message + "); " + (tls.caFile().isPresent()
                        ? "check that " + tls.caFile().get() + " (--ssl-ca) holds the CA that signed the server's "
                        + "certificate (the server's ssl_ca)"
                        : "give the CA that signed it with --ssl-ca (Tls.ca)")
                        + ", or encrypt without verifying it with --ssl-allow-insecure (Tls.required())");
            }
            if (lower.contains("identity verification failed") || lower.contains("no subject alternative")
                    || lower.contains("no name matching")) {
                return Optional.of("the TLS certificate of " + server + " does not name that host (" + message
                        + "); connect by a name the certificate holds, or verify the CA only with "
                        + "Tls.verifyCa()");
            }
            if (lower.contains("not supported by server") || lower.contains("not provided by server")
                    || lower.contains("does not support ssl")) {
                return Optional.of(server + " does not offer TLS, but " + tls.mode() + " requires it; enable TLS "
                        + "on the server (ssl_cert and ssl_key) or connect without --ssl");
            }
            if (lower.contains("certificate_required") || lower.contains("bad_certificate")
                    || lower.contains("unknown_ca")) {
                return Optional.of(server + " refused ghost's TLS client certificate (" + message + "); "
                        + (tls.clientCertificateFile().isPresent() ? "check that "
                        + tls.clientCertificateFile().get() + " (--ssl-cert) is signed by a CA the server trusts"
                        : "the user needs one: give it with --ssl-cert and --ssl-key"));
            }
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                tlsFailure = true;
            }
        }
        if (tlsFailure) {
            return Optional.of("the TLS handshake with " + server + " failed (" + rootMessage(failure) + "); check "
                    + "the server's TLS setup and --ssl-ca, --ssl-cert, --ssl-key");
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
