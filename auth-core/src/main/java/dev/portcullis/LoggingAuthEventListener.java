package dev.portcullis;

import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventListener;
import java.lang.System.Logger.Level;

/**
 * Writes audit events to {@code System.Logger} "dev.portcullis.audit" (bridge it to SLF4J or Log4j
 * as you like). Failures are logged at WARNING, the rest at INFO. Client-supplied text is escaped
 * so a crafted value cannot forge log lines.
 */
public final class LoggingAuthEventListener implements AuthEventListener {

    private final System.Logger logger;

    public LoggingAuthEventListener() {
        this(System.getLogger("dev.portcullis.audit"));
    }

    public LoggingAuthEventListener(System.Logger logger) {
        this.logger = logger;
    }

    @Override
    public void onEvent(AuthEvent event) {
        Level level = switch (event.type()) {
            case LOGIN_FAILED, LOGIN_THROTTLED -> Level.WARNING;
            default -> Level.INFO;
        };
        if (logger.isLoggable(level)) {
            logger.log(level, "auth event={0} user={1} address={2} at={3}", event.type(),
                    event.userId().map(UserId::value).map(LoggingAuthEventListener::escape).orElse("-"),
                    escape(event.clientAddress()), event.at());
        }
    }

    /** Escapes control characters (CR, LF, tabs, ANSI escapes) and caps the length. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 100));
        text.codePoints().limit(100).forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
