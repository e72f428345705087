package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottlePolicy;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in policies' parsing and decisions that need no server. */
class BuiltInPoliciesTest {

    private static ThrottleContext lagOf(Duration lag) {
        return new ThrottleContext() {
            @Override
            public Connection connection() {
                throw new AssertionError("no connection expected");
            }

            @Override
            public Duration lag() {
                return lag;
            }
        };
    }

    @Test
    void readsGhOstsLoadText() {
        StatusThresholds parsed = StatusThresholds.parse(" Threads_running=25 , Threads_connected=500");
        assertThat(parsed.limits()).containsExactly(java.util.Map.entry("Threads_running", 25L),
                java.util.Map.entry("Threads_connected", 500L));
        assertThat(parsed).hasToString("Threads_running=25,Threads_connected=500");
        assertThat(StatusThresholds.parse("").isEmpty()).isTrue();
        assertThatThrownBy(() -> StatusThresholds.parse("Threads_running"))
                .hasMessage("cannot read \"Threads_running\"; expected status_variable=number, e.g. Threads_running=25");
        assertThatThrownBy(() -> StatusThresholds.parse("Threads'running=1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThrottlePolicy.maxLoad("Threads_running=x"))
                .hasMessage("\"x\" in \"Threads_running=x\" is not a whole number");
    }

    @Test
    void maxLagThrottlesOnlyAboveItsLimit() throws Exception {
        ThrottlePolicy policy = ThrottlePolicy.maxLag(Duration.ofMillis(1500));
        assertThat(policy.evaluate(lagOf(Duration.ofMillis(1500))).throttled()).isFalse();
        assertThat(policy.evaluate(lagOf(Duration.ofMillis(1501))).reason())
                .isEqualTo("lag=1.501s > max-lag-millis=1500");
    }

    @Test
    void niceRatioAsksForItsShareOfTheChunkTimeAndNeverThrottles() throws Exception {
        ThrottlePolicy nice = ThrottlePolicy.niceRatio(0.5);
        assertThat(nice.pauseAfterChunk(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
        assertThat(nice.evaluate(lagOf(Duration.ZERO)).throttled()).isFalse();
        assertThat(ThrottlePolicy.maxLag(Duration.ofSeconds(1)).pauseAfterChunk(Duration.ofSeconds(1)))
                .isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> ThrottlePolicy.niceRatio(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThrottlePolicy.niceRatio(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagFileNamesTheFile() throws Exception {
        Path missing = Path.of("/nonexistent/ghost.flag");
        assertThat(ThrottlePolicy.flagFile(missing).evaluate(lagOf(Duration.ZERO)).throttled()).isFalse();
        assertThat(ThrottlePolicy.flagFile(Path.of("/")).evaluate(lagOf(Duration.ZERO)).reason())
                .isEqualTo("flag-file /");
    }

    @Test
    void refusesHttpChecksWithoutAPositiveIntervalOrTimeout() {
        URI url = URI.create("http://127.0.0.1:1/");
        assertThatThrownBy(() -> ThrottlePolicy.throttleHttp(url, Duration.ZERO, Duration.ofSeconds(1), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ThrottlePolicy.throttleHttp(url).checkIntervalMillis()).isEqualTo(100);
    }
}
