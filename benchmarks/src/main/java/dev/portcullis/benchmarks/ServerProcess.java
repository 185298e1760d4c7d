package dev.portcullis.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link LoadServer} in its own JVM. */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final int port;
    final String bearer;
    final String bus;

    private ServerProcess(Process process, int port, String bearer, String bus) {
        this.process = process;
        this.port = port;
        this.bearer = bearer;
        this.bus = bus;
    }

    static ServerProcess start(Path log, List<String> jvmOptions) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        // Extra JVM options for the server, e.g. a flight recording while profiling.
        String extra = System.getenv("BENCH_SERVER_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(Arrays.asList(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadServer.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        // As examples/webapp/run sets it for the app.
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        pb.redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        int port = -1;
        String bearer = null;
        String bus = "?";
        String line;
        while ((line = r.readLine()) != null && !line.equals("READY")) {
            if (line.startsWith("PORT ")) {
                port = Integer.parseInt(line.substring(5).strip());
            } else if (line.startsWith("BEARER ")) {
                bearer = line.substring(7).strip();
            } else if (line.startsWith("BUS ")) {
                bus = line.substring(4).strip();
            }
        }
        if (line == null || port < 0 || bearer == null) {
            p.destroy();
            throw new IllegalStateException("load server did not start; see " + log);
        }
        return new ServerProcess(p, port, bearer, bus);
    }

    @Override
    public void close() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.flush();
        } catch (IOException ignored) {
            // it is going away anyway
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
