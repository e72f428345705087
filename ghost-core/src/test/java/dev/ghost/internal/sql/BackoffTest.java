package dev.ghost.internal.sql;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void doublesTheDelayUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 100, Duration.ofHours(1));

        assertThat(backoff.delayAfter(0)).isZero();
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(1_000_000)).isEqualTo(Duration.ofSeconds(2)); // no overflow
    }

    @Test
    void attemptsAreDueOnlyOnceTheirDelayHasPassed() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 10, Duration.ofMinutes(1));
        long now = 1000 * SECOND;

        assertThat(backoff.due(now)).isTrue();
        assertThat(backoff.failed(now)).isTrue();
        assertThat(backoff.due(now + SECOND - 1)).isFalse();
        assertThat(backoff.due(now + SECOND)).isTrue();
        assertThat(backoff.failed(now + SECOND)).isTrue();
        assertThat(backoff.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.due(now + 2 * SECOND)).isFalse();
        assertThat(backoff.due(now + 3 * SECOND)).isTrue();
        assertThat(backoff.failingFor(now + 3 * SECOND)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void givesUpAfterItsAttempts() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 3, Duration.ofHours(1));

        assertThat(backoff.failed(0)).isTrue();
        assertThat(backoff.failed(1)).isTrue();
        assertThat(backoff.failed(2)).isFalse();
        assertThat(backoff.failures()).isEqualTo(3);
    }

    @Test
    void givesUpAfterItsTimeWhateverTheAttempts() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1000, Duration.ofSeconds(30));

        assertThat(backoff.failed(0)).isTrue();
        assertThat(backoff.failed(29 * SECOND)).isTrue();
        assertThat(backoff.failed(30 * SECOND)).isFalse();
    }

    @Test
    void aSuccessStartsANewCount() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, Duration.ofMinutes(1));

        assertThat(backoff.failed(0)).isTrue();
        backoff.succeeded();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.due(0)).isTrue();
        assertThat(backoff.failingFor(5 * SECOND)).isZero();
        assertThat(backoff.failed(100 * SECOND)).isTrue(); // a new first failure: neither bound reached
        assertThat(backoff.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectionTimeoutsGiveTheBatchRolesAGenerousRead() {
        assertThat(ConnectionTimeouts.DEFAULTS.batchRead()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConnectionTimeouts.of(Duration.ofMinutes(1), null).batchRead()).isEqualTo(Duration.ofMinutes(10));
        assertThat(ConnectionTimeouts.of(Duration.ofSeconds(5), null))
                .isEqualTo(new ConnectionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), null));
        assertThat(ConnectionTimeouts.of(null, Duration.ofSeconds(60)))
                .isEqualTo(new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertThat(ServerConnections.Role.GENERAL.readTimeout(ConnectionTimeouts.DEFAULTS)).isZero();
        assertThat(ServerConnections.Role.HEARTBEAT.readTimeout(ConnectionTimeouts.DEFAULTS))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(ServerConnections.Role.REPLAY.readTimeout(ConnectionTimeouts.DEFAULTS))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(ServerConnections.Role.MIGRATION_LOCK.programName()).isEqualTo("ghost-migration-lock");
    }
}
