package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggingAuthEventListenerTest {

    @Test
    void escapeNeutralisesLineBreaksAndControlCharacters() {
        assertThat(LoggingAuthEventListener.escape("1.2.3.4\r\nINFO forged line\u001b[31m"))
                .isEqualTo("1.2.3.4\\u000d\\u000aINFO forged line\\u001b[31m")
                .doesNotContain("\n", "\r");
    }

    @Test
    void escapeCapsTheLength() {
        assertThat(LoggingAuthEventListener.escape("x".repeat(10_000))).hasSize(100);
    }
}
