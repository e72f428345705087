package dev.ghost.binlog.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamSettingsTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(StreamSettings.HEARTBEAT_PROPERTY);
        System.clearProperty(StreamSettings.KEEP_ALIVE_PROPERTY);
    }

    @Test
    void systemPropertiesShortenHeartbeatAndKeepAlive() {
        assertThat(StreamSettings.fromSystemProperties()).isEqualTo(StreamSettings.defaults());
        System.setProperty(StreamSettings.HEARTBEAT_PROPERTY, "250");
        System.setProperty(StreamSettings.KEEP_ALIVE_PROPERTY, "1000");
        StreamSettings settings = StreamSettings.fromSystemProperties();
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.keepAlive()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.reconnectAttempts()).isEqualTo(StreamSettings.defaults().reconnectAttempts());
        assertThat(QuickReconnect.spacing(settings)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusesPeriodsThatCannotWork() {
        System.setProperty(StreamSettings.KEEP_ALIVE_PROPERTY, "500"); // shorter than the default heartbeat
        assertThatThrownBy(StreamSettings::fromSystemProperties).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeat < keepAlive");
        System.setProperty(StreamSettings.KEEP_ALIVE_PROPERTY, "5s");
        assertThatThrownBy(StreamSettings::fromSystemProperties).hasMessageContaining("ghost.binlog.keep-alive-millis");
    }
}
