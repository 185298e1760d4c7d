package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Request bodies: the one place that reads {@code Content-Type} ({@link #kind}) and the one
 * size-limited reader for JSON and form bodies. A reader is configured per endpoint family
 * (which kinds it accepts, how large a body may be, which form fields it wants). Thread-safe.
 */
final class Bodies {

    /** What a request body is, from its media type (parameters such as {@code charset} ignored). */
    enum Kind {
        /** {@code application/json} or {@code application/*+json}. */
        JSON,
        /** {@code application/x-www-form-urlencoded}. */
        FORM,
        /** {@code multipart/form-data}. */
        MULTIPART,
        /** Anything else, or no {@code Content-Type} at all. */
        OTHER;

        /** A body the container parses into request parameters. */
        boolean isForm() {
            return this == FORM || this == MULTIPART;
        }
    }

    /** What reading gave: the fields, or why there are none. */
    record Body(Outcome outcome, Map<String, String> fields) {
        enum Outcome { READ, UNSUPPORTED, TOO_LARGE, MALFORMED }

        Body {
            fields = Map.copyOf(fields);
        }

        private static Body of(Outcome outcome) {
            return new Body(outcome, Map.of());
        }
    }

    /** How much of a refused body is read and thrown away, so that the client reliably reads the 413. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final int maxBytes;
    private final Optional<List<String>> formFields;

    private Bodies(int maxBytes, Optional<List<String>> formFields) {
        this.maxBytes = maxBytes;
        this.formFields = formFields;
    }

    /** Accepts JSON objects only. */
    static Bodies json(int maxBytes) {
        return new Bodies(maxBytes, Optional.empty());
    }

    /** Accepts JSON objects and url-encoded forms, of which it reads {@code formFields}. */
    static Bodies jsonOrForm(int maxBytes, List<String> formFields) {
        return new Bodies(maxBytes, Optional.of(List.copyOf(formFields)));
    }

    /** Parses a {@code Content-Type} header value; the only parser of it in this module. */
    static Kind kind(String contentType) {
        if (contentType == null) {
            return Kind.OTHER;
        }
        int semi = contentType.indexOf(';');
        String m = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        if (m.equals("application/json") || (m.startsWith("application/") && m.endsWith("+json"))) {
            return Kind.JSON;
        }
        return switch (m) {
            case "application/x-www-form-urlencoded" -> Kind.FORM;
            case "multipart/form-data" -> Kind.MULTIPART;
            default -> Kind.OTHER;
        };
    }

    /** A client that sends JSON, or asks for JSON rather than HTML, gets JSON answers. */
    static boolean clientPrefersJson(HttpServletRequest request, Kind kind) {
        if (kind == Kind.JSON) {
            return true;
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        return (a.contains("application/json") || a.contains("+json")) && !a.contains("text/html");
    }

    /** Reads the body of {@code kind}; a refused body is drained first. */
    Body read(HttpServletRequest request, Kind kind) throws IOException {
        boolean form = kind == Kind.FORM && formFields.isPresent();
        if (kind != Kind.JSON && !form) {
            return Body.of(Body.Outcome.UNSUPPORTED);
        }
        if (request.getContentLengthLong() > maxBytes) {
            drain(request);
            return Body.of(Body.Outcome.TOO_LARGE);
        }
        return form ? readForm(request, formFields.get()) : readJson(request);
    }

    private Body readJson(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            drain(request);
            return Body.of(Body.Outcome.TOO_LARGE);
        }
        return Json.readFlatObject(body).map(f -> new Body(Body.Outcome.READ, f)).orElseGet(() -> Body.of(Body.Outcome.MALFORMED));
    }

    /** The container parses the form (the CSRF check may already have made it do so); we pick our fields. */
    private static Body readForm(HttpServletRequest request, List<String> names) {
        Map<String, String> fields = new HashMap<>();
        try {
            for (String name : names) {
                String value = request.getParameter(name);
                if (value != null) {
                    fields.put(name, value);
                }
            }
        } catch (RuntimeException unreadable) {
            return Body.of(Body.Outcome.MALFORMED);
        }
        return new Body(Body.Outcome.READ, fields);
    }

    /**
     * Reads and discards what is left of a refused body (up to 1 MiB), so the connection is not
     * reset under the client while it is still sending: it then reliably reads the 413.
     */
    private static void drain(HttpServletRequest request) {
        if (request.getContentLengthLong() > DRAIN_LIMIT) {
            return;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] sink = new byte[8192];
            long left = DRAIN_LIMIT;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the container already parsed the body: nothing left to protect
        }
    }
}
