package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * gh-ost's {@code --throttle-http}: a HEAD request to the URL every interval; any answer but 200 throttles. When the
 * URL cannot be reached (refused, timed out) it throttles too, unless told to ignore such errors. The URL may change
 * while the migration runs ({@code throttle-http=<url>}); without one the check does nothing.
 */
public final class HttpThrottlePolicy implements ThrottlePolicy {

    private volatile URI url; // null: no check
    private final Duration interval;
    private final Duration timeout;
    private final boolean ignoreErrors;
    private HttpClient client; // made at the first check with a URL; only the throttler's thread checks

    /** @param url the URL to ask, or null for none yet */
    public HttpThrottlePolicy(URI url, Duration interval, Duration timeout, boolean ignoreErrors) {
        this.url = url == null ? null : checked(url);
        this.interval = interval;
        this.timeout = timeout;
        this.ignoreErrors = ignoreErrors;
    }

    /**
     * The URL, if a HEAD request can be sent to it: absolute, http or https, with a host.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static URI checked(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("throttle-http: not an http(s) URL: " + url);
        }
        return url;
    }

    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /** Null removes the check. */
    public void url(URI next) {
        url = next == null ? null : checked(next);
    }

    /** The same settings, with a state of its own (a builder's policy may serve several migrations). */
    public HttpThrottlePolicy copy() {
        return new HttpThrottlePolicy(url, interval, timeout, ignoreErrors);
    }

    @Override
    public String name() {
        return "throttle-http";
    }

    @Override
    public long checkIntervalMillis() {
        return interval.toMillis();
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) throws InterruptedException {
        URI current = url;
        if (current == null) {
            return ThrottleDecision.proceed();
        }
        if (client == null) { // not before: most migrations never set a URL, and a client holds a thread
            client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        HttpRequest request = HttpRequest.newBuilder(current).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(timeout).build();
        try {
            int code = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code == 200 ? ThrottleDecision.proceed()
                    : ThrottleDecision.throttle("throttle-http " + current + " answered " + code);
        } catch (IOException e) {
            return ignoreErrors ? ThrottleDecision.proceed()
                    : ThrottleDecision.throttle("throttle-http " + current + " failed: " + e);
        }
    }

    @Override
    public String toString() {
        return "throttle-http " + (url == null ? "(none)" : url);
    }
}
