package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 11: on the embedded default database a write that was answered survives
 * {@code kill -9}. The real app runs as a child JVM on {@link AppSettings#DEFAULT_DB_URL} (an H2
 * file under {@code ./data} of its working directory); clients register accounts concurrently, a
 * password is changed or reset, and the process is killed the moment the answers are in. After
 * each kill every answered registration must be in the database, and after the restart every
 * changed password must be the one that logs in. (With H2's default write delay the attack run
 * lost 105 of 679 answered registrations this way.)
 */
class CrashDurabilityTest {

    static final String PASSWORD = WebAppHttpTest.PASSWORD;
    static final int CYCLES = 4;
    static final int REGISTRATIONS_PER_CYCLE = 12;
    static final int CLIENTS = 3;
    static final Pattern RESET_LINK = Pattern.compile("/reset-password\\?token=([A-Za-z0-9_-]+)");

    @Test
    void everyAnsweredWriteSurvivesKillNine(@TempDir Path dir) throws Exception {
        int port = RunningApp.freePort();
        URI base = URI.create("http://localhost:" + port);
        Set<String> answered = ConcurrentHashMap.newKeySet();
        Map<String, String> passwords = new LinkedHashMap<>();
        AtomicInteger accounts = new AtomicInteger();

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (Child app = Child.start(dir, port)) {
                for (Map.Entry<String, String> changed : passwords.entrySet()) {
                    assertThat(login(base, changed.getKey(), changed.getValue()))
                            .as("the password of " + changed.getKey() + " answered before the kill").isEqualTo(303);
                }
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch enough = new CountDownLatch(REGISTRATIONS_PER_CYCLE);
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Thread t = new Thread(() -> {
                        while (!stop.get()) {
                            int n = accounts.incrementAndGet();
                            String email = "crash" + n + "@example.com";
                            try {
                                if (new Browser(base, address(n)).register(email) == 303) {
                                    answered.add(email);
                                    enough.countDown();
                                }
                            } catch (IOException killed) {
                                return;
                            }
                        }
                    }, "client-" + c);
                    t.start();
                    clients.add(t);
                }
                if (!enough.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("only " + (REGISTRATIONS_PER_CYCLE - enough.getCount())
                            + " registrations answered; app output:\n" + app.log);
                }
                // the last write before the kill, while the clients keep registering
                if (cycle == 1) {
                    String email = answered.iterator().next();
                    Browser owner = new Browser(base, "127.0.0.1");
                    assertThat(owner.post("/login", "/login", Map.of("email", email, "password", PASSWORD)).status())
                            .isEqualTo(303);
                    assertThat(owner.post("/password", "/password", Map.of("current_password", PASSWORD,
                            "new_password", WebAppHttpTest.NEW_PASSWORD, "confirm_password", WebAppHttpTest.NEW_PASSWORD))
                            .status()).isEqualTo(303);
                    passwords.put(email, WebAppHttpTest.NEW_PASSWORD);
                } else if (cycle == 2) {
                    String email = answered.stream().filter(e -> !passwords.containsKey(e)).findFirst().orElseThrow();
                    Browser owner = new Browser(base, "127.0.0.1");
                    assertThat(owner.post("/forgot-password", "/forgot-password", Map.of("email", email)).status())
                            .isEqualTo(303);
                    String token = app.awaitLine(RESET_LINK).group(1);
                    String chosen = "a reset passphrase after a crash";
                    assertThat(owner.post("/reset-password?token=" + token, "/reset-password",
                            Map.of("token", token, "password", chosen, "confirm_password", chosen)).status()).isEqualTo(303);
                    passwords.put(email, chosen);
                }
                stop.set(true);
                app.kill();
                for (Thread t : clients) {
                    t.join(10_000);
                }
            }
            assertThat(accountsIn(dir)).as("answered registrations after kill -9 number " + (cycle + 1))
                    .containsAll(answered);
        }
        assertThat(answered).hasSizeGreaterThanOrEqualTo(CYCLES * REGISTRATIONS_PER_CYCLE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
        try (Child app = Child.start(dir, port)) {
            for (Map.Entry<String, String> changed : passwords.entrySet()) {
                assertThat(login(base, changed.getKey(), changed.getValue())).isEqualTo(303);
                assertThat(login(base, changed.getKey(), PASSWORD)).as("the old password").isEqualTo(401);
            }
        }
    }

    /** A distinct loopback address per account: the clients look like many visitors, not one. */
    static String address(int n) {
        return "127.1." + (n / 250) + "." + (n % 250 + 1);
    }

    static int login(URI base, String email, String password) throws IOException {
        return new Browser(base, "127.0.0.1").post("/login", "/login", Map.of("email", email, "password", password)).status();
    }

    /** The accounts in the killed app's database, read with H2 directly (the file is free once the process is dead). */
    static Set<String> accountsIn(Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("portcullis") + ";WRITE_DELAY=0";
        Set<String> emails = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT email_canonical FROM portcullis_users")) {
            while (rows.next()) {
                emails.add(rows.getString(1));
            }
        }
        return emails;
    }

    /** A browser over {@link RawHttp} from a chosen source address: keeps cookies, reads CSRF tokens, one connection per request. */
    static final class Browser {
        private final URI base;
        private final String from;
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Browser(URI base, String from) {
            this.base = base;
            this.from = from;
        }

        int register(String email) throws IOException {
            return post("/register", "/register", Map.of("email", email, "password", PASSWORD, "confirm_password", PASSWORD))
                    .status();
        }

        /** GETs {@code page} for its CSRF token, then posts {@code form} with it to {@code path}. */
        RawHttp.Reply post(String page, String path, Map<String, String> form) throws IOException {
            RawHttp.Reply shown = send("GET " + page + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n" + cookieHeader()
                    + "Connection: close\r\n\r\n");
            Map<String, String> withToken = new LinkedHashMap<>(form);
            withToken.put("csrf_token", Http.csrfFrom(shown.body()));
            String body = Http.encode(withToken);
            return send("POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n" + cookieHeader()
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body);
        }

        private String cookieHeader() {
            return cookies.isEmpty() ? "" : "Cookie: " + cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")) + "\r\n";
        }

        private RawHttp.Reply send(String request) throws IOException {
            try (Socket socket = RawHttp.open(base, from)) {
                RawHttp.Reply reply = RawHttp.exchange(socket, request);
                for (String header : reply.all("Set-Cookie")) {
                    String pair = header.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String value = pair.substring(eq + 1);
                    if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                        cookies.remove(pair.substring(0, eq));
                    } else {
                        cookies.put(pair.substring(0, eq), value);
                    }
                }
                return reply;
            }
        }
    }

    /** {@code WebApp.main} in a JVM of its own, started in {@code dir} with the default database, killed with SIGKILL. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer log = new StringBuffer();

        private Child(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        log.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            }, "child-log");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path dir, int port) throws Exception {
            return start(dir, port, Map.of());
        }

        /** With more environment variables, which override the defaults. */
        static Child start(Path dir, int port, Map<String, String> env) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), WebApp.class.getName())
                    .directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("PORTCULLIS_") || name.equals("PORT"));
            builder.environment().put("PORT", String.valueOf(port));
            builder.environment().put("PORTCULLIS_BASE_URL", "http://localhost:" + port);
            builder.environment().putAll(env);
            Child child = new Child(builder.start());
            child.awaitLine(Pattern.compile("Portcullis demo running at"));
            return child;
        }

        /** The first line from now on that matches, within 30 s. */
        Matcher awaitLine(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line != null) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                } else if (!process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("no line matching " + pattern + " in the app's output:\n" + log);
        }

        /** SIGKILL, as {@code kill -9}: no shutdown hook, no flush, no clean close of the database. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }
}
