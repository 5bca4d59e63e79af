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
 * failure into an {@link LlmException} (NETWORK or TIMEOUT). A watchdog holds each call to its
 * {@link CallTimeouts}: the reply must start within first_byte, the body may not fall silent for longer than
 * idle, and the whole exchange ends within call, so a server that stops answering cannot hang a run.
 */
public final class ProviderHttp {
    private static final String USER_AGENT = "brun/" + BrunVersion.get();
    private final HttpClient client;
    private final CallTimeouts timeouts;
    private final Clock clock;

    /** One complete HTTP reply. */
    public record Reply(int status, HttpHeaders headers, String body, long latencyMillis, Instant receivedAt) {
        public boolean ok() { return status >= 200 && status < 300; }

        public Optional<String> header(String name) { return headers.firstValue(name); }
    }

    public ProviderHttp(URI baseUrl, Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this(baseUrl, new CallTimeouts(connectTimeout, requestTimeout, requestTimeout, requestTimeout, CallTimeouts.DEFAULTS.cachePriming()), clock);
    }

    public ProviderHttp(URI baseUrl, CallTimeouts timeouts, Clock clock) {
        // Plain-http servers (local models, the simulator) speak HTTP/1.1; an h2c upgrade attempt only costs time there.
        HttpClient.Version version = "https".equalsIgnoreCase(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        this.client = HttpClient.newBuilder().version(version).connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeouts = timeouts;
        this.clock = clock;
    }

    public Reply post(URI uri, Map<String, String> headers, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeouts.call())
                .header("user-agent", USER_AGENT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public Reply get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeouts.call()).header("user-agent", USER_AGENT).GET();
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
        BodyProgress progress = new BodyProgress();
        HttpResponse.BodyHandler<String> handler = info -> progress.watch(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8));
        Thread sender = Thread.ofVirtual().name("brun-http-send").start(() -> {
            try {
                future.complete(client.send(request, handler));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        try {
            HttpResponse<String> response = null;
            while (response == null) {
                long now = System.nanoTime();
                long deadline = progress.deadline(start, timeouts);
                if (now - deadline >= 0) {
                    sender.interrupt();
                    throw timeout(request, progress.overdue(start, now, timeouts), null);
                }
                // wake up often enough to notice the reply starting and then falling silent, not only at the deadline
                long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10), timeouts.idle().toNanos() / 4);
                try {
                    response = future.get(Math.min(deadline - now, tick), TimeUnit.NANOSECONDS);
                } catch (TimeoutException checkAgain) {
                    // a deadline passed or moved (bytes arrived): the loop decides
                }
            }
            long latency = (System.nanoTime() - start) / 1_000_000;
            // Redacted at the source: every mapper, log line, failure detail and stored row downstream sees only this.
            String body = Redaction.apply(response.body(), secretsOf(request));
            return new Reply(response.statusCode(), response.headers(), body, latency, clock.instant());
        } catch (InterruptedException e) {
            sender.interrupt();
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.NETWORK, 0, "interrupted during the call to " + where(request), "", null, null, 1, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException)
                throw timeout(request, "could not connect within " + timeouts.connect().toMillis() + " ms", cause);
            if (cause instanceof HttpTimeoutException)
                throw timeout(request, "no complete reply within " + timeouts.call().toMillis() + " ms", cause);
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

    private static LlmException timeout(HttpRequest request, String what, Throwable cause) {
        return new LlmException(LlmException.Kind.TIMEOUT, 0, where(request) + ": " + what, "", null, null, 1, cause);
    }

    /**
     * When the reply started and when its body last moved, written by the HTTP client's threads and read by the
     * watchdog in {@link #send}: the body subscriber is wrapped only to note the time of each chunk.
     */
    static final class BodyProgress {
        private volatile long startedAt;
        private volatile long lastChunkAt;

        <T> HttpResponse.BodySubscriber<T> watch(HttpResponse.BodySubscriber<T> body) {
            long now = System.nanoTime();
            startedAt = now;
            lastChunkAt = now;
            return new HttpResponse.BodySubscriber<>() {
                @Override public java.util.concurrent.CompletionStage<T> getBody() { return body.getBody(); }
                @Override public void onSubscribe(java.util.concurrent.Flow.Subscription s) { body.onSubscribe(s); }
                @Override public void onNext(List<java.nio.ByteBuffer> item) {
                    lastChunkAt = System.nanoTime();
                    body.onNext(item);
                }
                @Override public void onError(Throwable t) { body.onError(t); }
                @Override public void onComplete() { body.onComplete(); }
            };
        }

        /** The nanoTime by which the next sign of life (or the whole reply) must arrive. */
        long deadline(long sentAt, CallTimeouts t) {
            long whole = sentAt + t.call().toNanos();
            long next = startedAt == 0 ? sentAt + t.firstByte().toNanos() : lastChunkAt + t.idle().toNanos();
            return whole - next < 0 ? whole : next;
        }

        String overdue(long sentAt, long now, CallTimeouts t) {
            if (now - (sentAt + t.call().toNanos()) >= 0) return "the call took longer than " + t.call().toMillis() + " ms; abandoned";
            if (startedAt == 0) return "no reply within " + t.firstByte().toMillis() + " ms (first_byte); abandoned";
            return "the reply stalled for " + t.idle().toMillis() + " ms mid-body (idle); abandoned";
        }
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
