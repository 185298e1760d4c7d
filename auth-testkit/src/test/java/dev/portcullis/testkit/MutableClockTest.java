package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    @Test
    void standsStillUntilAdvanced() {
        MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));

        assertThat(clock.instant()).isEqualTo(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(Instant.parse("2030-01-01T00:05:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2030-01-01T00:05:00Z").toEpochMilli());
    }

    @Test
    void setMovesToTheGivenInstant() {
        MutableClock clock = MutableClock.startingAt2030();

        clock.set(Instant.parse("2031-06-01T12:00:00Z"));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2031-06-01T12:00:00Z"));
    }

    @Test
    void zonedViewSharesTheInstant() {
        MutableClock clock = MutableClock.startingAt2030();
        var paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void concurrentAdvancesAreNotLost() {
        MutableClock clock = MutableClock.startingAt2030();

        Concurrently.run(20, i -> () -> {
            for (int n = 0; n < 1_000; n++) {
                clock.advance(Duration.ofMillis(1));
            }
            return null;
        });

        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:20Z"));
    }
}
