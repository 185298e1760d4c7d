package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The PORTCULLIS_HASHING_* variables: the hashing gate's limits, checked at start-up. */
class HashingAppSettingsTest {

    @Test
    void unsetTheLibrarysDefaultsApply() {
        AppSettings.Hashing hashing = AppSettings.fromEnvironment(Map.of()).hashing();
        assertThat(hashing).isEqualTo(AppSettings.Hashing.defaults());
        assertThat(hashing.configured()).isFalse();
    }

    @Test
    void eachLimitIsReadOnItsOwn() {
        AppSettings.Hashing hashing = AppSettings.fromEnvironment(Map.of("PORTCULLIS_HASHING_CONCURRENCY", "4",
                "PORTCULLIS_HASHING_MAX_WAIT_MS", "0", "PORTCULLIS_HASHING_MAX_WAITING", " 32 ")).hashing();
        assertThat(hashing).isEqualTo(new AppSettings.Hashing(OptionalInt.of(4), Optional.of(Duration.ZERO), OptionalInt.of(32)));
        assertThat(AppSettings.fromEnvironment(Map.of("PORTCULLIS_HASHING_MAX_WAITING", "0")).hashing())
                .isEqualTo(new AppSettings.Hashing(OptionalInt.empty(), Optional.empty(), OptionalInt.of(0)));
    }

    @Test
    void aValueOutOfRangeStopsTheAppNamingTheVariable() {
        assertThatThrownBy(() -> AppSettings.fromEnvironment(Map.of("PORTCULLIS_HASHING_CONCURRENCY", "0")))
                .hasMessage("PORTCULLIS_HASHING_CONCURRENCY must be a whole number from 1 to 1024, was '0'");
        assertThatThrownBy(() -> AppSettings.fromEnvironment(Map.of("PORTCULLIS_HASHING_MAX_WAIT_MS", "2s")))
                .hasMessageContaining("PORTCULLIS_HASHING_MAX_WAIT_MS must be a whole number from 0 to 60000");
        assertThatThrownBy(() -> AppSettings.fromEnvironment(Map.of("PORTCULLIS_HASHING_MAX_WAITING", "9000")))
                .hasMessageContaining("PORTCULLIS_HASHING_MAX_WAITING must be a whole number from 0 to 8192");
    }
}
