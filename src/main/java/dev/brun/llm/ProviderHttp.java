package dev.brun.llm;

import dev.brun.BrunVersion;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP only: sends one request, returns status, headers and the whole body, and turns every transport
 * failure into an {@link LlmException} (NETWORK or TIMEOUT). The timeout covers the whole exchange, body
 * included, so a server that stalls mid-body cannot hang a call.
 */
public final class ProviderHttp {
    private static final String USER_AGENT = "brun/" + BrunVersion.get();
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Clock clock;

    /** One complete HTTP reply. */
    public record Reply(int status, HttpHeaders headers, String body, long latencyMillis, Instant receivedAt) {
        public boolean ok() { return status >= 200 && status < 300; }

        public Optional<String> header(String name) { return headers.firstValue(name); }
    }

    public ProviderHttp(URI baseUrl, Duration connectTimeout, Duration requestTimeout, Clock clock) {
        // Plain-http servers (local models, the simulator) speak HTTP/1.1; an h2c upgrade attempt only costs time there.
        HttpClient.Version version = "https".equalsIgnoreCase(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        this.client = HttpClient.newBuilder().version(version).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    public Reply post(URI uri, Map<String, String> headers, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("user-agent", USER_AGENT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public Reply get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("user-agent", USER_AGENT).GET();
        headers.forEach(builder::header);
        return send(builder.build());
    }

    private Reply send(HttpRequest request) {
        long start = System.nanoTime();
        // Not client.sendAsync: the future it returns is completed by a relay task on ForkJoinPool.commonPool(),
        // so a caller whose common pool is busy or blocked (parallelism 1 on a 2-CPU machine, or a run started
        // with CompletableFuture.supplyAsync) would wait its whole timeout for a reply that has already arrived.
        // The blocking send() completes on the client's own threads; a virtual thread runs it so that the
        // timeout below still covers the whole exchange, body included, and interrupting it cancels the exchange.
        CompletableFuture<HttpResponse<String>> future = new CompletableFuture<>();
        Thread sender = Thread.ofVirtual().name("brun-http-send").start(() -> {
            try {
                future.complete(client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        try {
            HttpResponse<String> response = future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            long latency = (System.nanoTime() - start) / 1_000_000;
            // Redacted at the source: every mapper, log line, failure detail and stored row downstream sees only this.
            String body = Redaction.apply(response.body(), secretsOf(request));
            return new Reply(response.statusCode(), response.headers(), body, latency, clock.instant());
        } catch (TimeoutException e) {
            sender.interrupt();
            throw timeout(request, e);
        } catch (InterruptedException e) {
            sender.interrupt();
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.NETWORK, 0, "interrupted during the call to " + where(request), "", null, null, 1, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) throw timeout(request, cause);
            String what = cause instanceof ConnectException ? "could not connect to " : "the connection broke during the call to ";
            if (cause instanceof IOException || cause instanceof ConnectException) {
                throw new LlmException(LlmException.Kind.NETWORK, 0, what + where(request) + ": " + describe(cause), "", null, null, 1, cause);
            }
            throw new LlmException(LlmException.Kind.NETWORK, 0, "the call to " + where(request) + " failed: " + describe(cause), "", null, null, 1, cause);
        }
    }

    /** The credentials this request carries: the x-api-key value, the Authorization value and its bearer token. */
    private static List<String> secretsOf(HttpRequest request) {
        List<String> secrets = new ArrayList<>();
        for (String name : List.of("x-api-key", "authorization", "api-key")) {
            for (String value : request.headers().allValues(name)) {
                secrets.add(value);
                if (value.regionMatches(true, 0, "Bearer ", 0, 7)) secrets.add(value.substring(7).trim());
            }
        }
        secrets.sort((a, b) -> b.length() - a.length());
        return secrets;
    }

    private LlmException timeout(HttpRequest request, Throwable cause) {
        return new LlmException(LlmException.Kind.TIMEOUT, 0,
                "no complete reply from " + where(request) + " within " + requestTimeout.toMillis() + " ms", "", null, null, 1, cause);
    }

    private static String where(HttpRequest request) {
        URI uri = request.uri();
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    /**
     * The wait a reply asks for: {@code retry-after-ms} (milliseconds) first, then {@code retry-after}
     * (seconds, possibly fractional, or an HTTP date).
     */
    public static Duration retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(millis.get().trim()))));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        Optional<String> seconds = headers.firstValue("retry-after");
        if (seconds.isEmpty()) return null;
        String value = seconds.get().trim();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** Replaces every occurrence of the secret in a provider's text, in case an error echoes it. */
    public static String redact(String text, String secret) {
        return Redaction.apply(text, secret == null ? List.of() : List.of(secret));
    }

    /** Joins a base URL and a path without doubling or dropping the slash. */
    public static URI resolve(URI base, String path) {
        String b = base.toString();
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        return URI.create(b + (path.startsWith("/") ? path : "/" + path));
    }
}
