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

/**
 * gh-ost's {@code --throttle-http}: a HEAD request to the URL every interval; any answer but 200 throttles. When the
 * URL cannot be reached (refused, timed out) it throttles too, unless told to ignore such errors.
 */
public final class HttpThrottlePolicy implements ThrottlePolicy {

    private final URI url;
    private final Duration interval;
    private final Duration timeout;
    private final boolean ignoreErrors;
    private final HttpClient client;

    public HttpThrottlePolicy(URI url, Duration interval, Duration timeout, boolean ignoreErrors) {
        this.url = url;
        this.interval = interval;
        this.timeout = timeout;
        this.ignoreErrors = ignoreErrors;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
        HttpRequest request = HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(timeout).build();
        try {
            int code = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code == 200 ? ThrottleDecision.proceed()
                    : ThrottleDecision.throttle("throttle-http " + url + " answered " + code);
        } catch (IOException e) {
            return ignoreErrors ? ThrottleDecision.proceed()
                    : ThrottleDecision.throttle("throttle-http " + url + " failed: " + e);
        }
    }
}
