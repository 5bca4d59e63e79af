package dev.brun.web;

import dev.brun.BadInputException;
import dev.brun.project.Project;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DNS rebinding: only this server's own names in the Host header are answered, on every route. */
class HostCheckTest {
    @TempDir static Path dir;
    static Project project;
    static WebServer server;

    static final List<String> GETS = List.of("/", "/conversations", "/dashboard/cell", "/dashboard/jobs", "/export",
            "/generate", "/jobs/1", "/review", "/review/step", "/review/where", "/static/vendor/chart.umd.min.js", "/no-such-page");
    static final List<String> POSTS = List.of("/conversations/approve", "/conversations/bulk", "/review/1/decision", "/export/download", "/export/preview",
            "/generate/estimate", "/generate/start", "/jobs/1/cancel", "/review/1/note", "/review/1/seed",
            "/review/1/status", "/review/1/turns/0");

    @BeforeAll
    static void start() {
        project = WebFixture.create(dir, 3);
        server = WebServer.start(project, new WebServer.Options("127.0.0.1", 0, null), WebFixture.noGeneration());
    }

    @AfterAll
    static void stop() {
        server.close();
        project.close();
    }

    @Test
    void aForeignHostGets421OnEveryRouteGetAndPost() throws IOException {
        for (String path : GETS) {
            String reply = send("GET", path, "evil.example:" + server.port(), null);
            assertThat(statusLine(reply)).as("GET " + path).contains(" 421 ");
            assertThat(reply).as("GET " + path).contains("answers only to").doesNotContain("csrf");
        }
        for (String path : POSTS) {
            String reply = send("POST", path, "evil.example:" + server.port(), "http://evil.example:" + server.port());
            assertThat(statusLine(reply)).as("POST " + path).contains(" 421 ");
        }
    }

    @Test
    void aRebindingNameWithTheRightPortOrALoopbackNameWithTheWrongPortIsRefused() throws IOException {
        assertThat(statusLine(send("GET", "/", "127.0.0.1.evil.example:" + server.port(), null))).contains(" 421 ");
        assertThat(statusLine(send("GET", "/", "localhost:" + (server.port() + 1), null))).contains(" 421 ");
        assertThat(statusLine(send("GET", "/", "127.0.0.2:" + server.port(), null))).contains(" 421 ");
    }

    @Test
    void theLoopbackNamesAreServed() throws IOException {
        for (String name : List.of("127.0.0.1", "localhost", "LocalHost", "[::1]"))
            assertThat(statusLine(send("GET", "/", name + ":" + server.port(), null))).as(name).contains(" 200 ");
    }

    @Test
    void aNonLoopbackBindServesItsNameAndTheAllowedHostsOnly() throws IOException {
        String lan = "0.0.0.0";
        try (WebServer exposed = WebServer.start(project, new WebServer.Options(lan, 0, "s3cret", List.of("brun.lan")),
                WebFixture.noGeneration())) {
            int port = exposed.port();
            assertThat(statusLine(sendTo(port, "GET", "/?token=s3cret", "brun.lan:" + port, null))).contains(" 200 ");
            assertThat(statusLine(sendTo(port, "GET", "/?token=s3cret", "0.0.0.0:" + port, null))).contains(" 200 ");
            assertThat(statusLine(sendTo(port, "GET", "/?token=s3cret", "localhost:" + port, null))).contains(" 421 ");
            assertThat(statusLine(sendTo(port, "GET", "/?token=s3cret", "evil.example:" + port, null))).contains(" 421 ");
        }
    }

    @Test
    void loopbackIsWhatTheNameResolvesToAndAnUnresolvableNameHasItsOwnError() {
        assertThat(WebServer.Options.isLoopback("localhost")).isTrue();
        assertThat(WebServer.Options.isLoopback("127.0.0.1")).isTrue();
        assertThat(WebServer.Options.isLoopback("::1")).isTrue();
        assertThat(WebServer.Options.isLoopback("0.0.0.0")).isFalse();
        assertThatThrownBy(() -> new WebServer.Options("127.evil.invalid", 0, null))
                .isInstanceOf(BadInputException.class).hasMessageContaining("does not resolve")
                .hasMessageNotContaining("in use");
        assertThatThrownBy(() -> new WebServer.Options("127.0.0.1", 0, null, List.of("brun.lan")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--allowed-host");
    }

    @Test
    void anAddressThatIsNotThisMachinesSaysSoInsteadOfPortInUse() {
        // 192.0.2.0/24 is TEST-NET-1: never assigned to a local interface.
        assertThatThrownBy(() -> WebServer.start(project, new WebServer.Options("192.0.2.1", 0, "s3cret"), WebFixture.noGeneration()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("cannot listen on 192.0.2.1")
                .hasMessageNotContaining("in use");
    }

    private static String send(String method, String path, String host, String origin) throws IOException {
        return sendTo(server.port(), method, path, host, origin);
    }

    private static String sendTo(int port, String method, String path, String host, String origin) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            if (origin != null) req.append("Origin: ").append(origin).append("\r\n");
            if (method.equals("POST")) req.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n");
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String statusLine(String reply) {
        int end = reply.indexOf("\r\n");
        return end < 0 ? reply : reply.substring(0, end);
    }
}
