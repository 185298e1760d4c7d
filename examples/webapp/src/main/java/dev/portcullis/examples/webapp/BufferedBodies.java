package dev.portcullis.examples.webapp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Reads every request body completely, without holding a thread, before the servlets see it, so a
 * slow body costs a connection but never one of the container's threads (issue 12, item 1: 200
 * connections trickling {@code POST /login} bodies used to hold all 200 of them, and every other
 * page timed out). The servlets then read the body from memory.
 *
 * <p>A body declared larger than {@code maxBytes}, or growing past it, is refused with 413. One
 * that arrives, from its first byte on, slower than {@code minBytesPerSecond} on average (checked
 * as each piece arrives) is refused with 408; one that stops arriving ends at the connector's idle
 * timeout, also with 408. A malformed chunked body is a 400. Those answers close the connection.
 */
final class BufferedBodies extends Handler.Wrapper {

    private final int maxBytes;
    private final long minBytesPerSecond;

    BufferedBodies(Handler next, int maxBytes, long minBytesPerSecond) {
        super(next);
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long declared = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (declared == 0 || (declared < 0 && !chunked)) {
            return super.handle(request, response, callback);
        }
        if (declared > maxBytes) {
            Response.writeError(request, response, callback, 413);
            return true;
        }
        new Loader(request, response, callback, declared).run();
        return true;
    }

    /** Reads on each demand callback (a pool thread only while bytes are there), then dispatches. */
    private final class Loader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream body;
        private long firstByteAt;

        Loader(Request request, Response response, Callback callback, long declared) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            // grows as bytes arrive: a declared length alone reserves no memory
            this.body = new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : 1024, 8192));
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    refuse(status(chunk.getFailure()));
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                boolean last = chunk.isLast();
                if (body.size() + (long) n > maxBytes) {
                    chunk.release();
                    refuse(413);
                    return;
                }
                if (n > 0) {
                    byte[] copy = new byte[n];
                    bytes.get(copy);
                    body.write(copy, 0, n);
                    if (firstByteAt == 0) {
                        firstByteAt = NanoTime.now() | 1; // never 0, which means "not yet"
                    }
                }
                chunk.release();
                if (last) {
                    dispatch();
                    return;
                }
                if (tooSlow()) {
                    refuse(408);
                    return;
                }
            }
        }

        private boolean tooSlow() {
            if (firstByteAt == 0) {
                return false;
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(NanoTime.since(firstByteAt));
            return body.size() < minBytesPerSecond * elapsedMillis / 1000;
        }

        private int status(Throwable failure) {
            if (failure instanceof HttpException http && http.getCode() >= 400) {
                return http.getCode();
            }
            return failure instanceof TimeoutException ? 408 : 400;
        }

        private void refuse(int status) {
            Response.writeError(request, response, callback, status);
        }

        private void dispatch() {
            Request buffered = new Buffered(request, body.toByteArray());
            try {
                if (!getHandler().handle(buffered, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }
    }

    /** The request with its body in memory: one last chunk, then the (already reached) end of the real one. */
    private static final class Buffered extends Request.Wrapper {
        private final AtomicReference<Content.Chunk> body;

        Buffered(Request request, byte[] bytes) {
            super(request);
            this.body = new AtomicReference<>(Content.Chunk.from(ByteBuffer.wrap(bytes), true));
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = body.getAndSet(null);
            return chunk != null ? chunk : super.read();
        }
    }
}
