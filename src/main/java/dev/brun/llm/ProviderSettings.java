package dev.brun.llm;

import dev.brun.BadInputException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the providers are and which keys to use, read from the environment and an optional key file.
 * toString never shows a key.
 *
 * <p>The key file holds either one line with the Anthropic key, or {@code NAME=value} lines with
 * {@code ANTHROPIC_API_KEY} and/or {@code OPENAI_API_KEY} (blank lines and {@code #} comments allowed).
 * The environment wins over the file.
 */
public record ProviderSettings(URI anthropicBaseUrl, Optional<String> anthropicApiKey,
                               URI openAiBaseUrl, Optional<String> openAiApiKey) {
    public static final URI ANTHROPIC_DEFAULT = URI.create("https://api.anthropic.com");
    public static final URI OPENAI_DEFAULT = URI.create("https://api.openai.com/v1");

    public static ProviderSettings fromEnvironment(Map<String, String> env, Path keyFile) {
        Map<String, String> fromFile = keyFile == null ? Map.of() : readKeyFile(keyFile);
        return new ProviderSettings(
                url(env, "ANTHROPIC_BASE_URL", ANTHROPIC_DEFAULT),
                firstNonBlank(env.get("ANTHROPIC_API_KEY"), fromFile.get("ANTHROPIC_API_KEY")),
                url(env, "OPENAI_BASE_URL", OPENAI_DEFAULT),
                firstNonBlank(env.get("OPENAI_API_KEY"), fromFile.get("OPENAI_API_KEY")));
    }

    /** The Anthropic key, or a message that says how to provide one. */
    public String requireAnthropicKey() {
        return anthropicApiKey.orElseThrow(() -> new BadInputException(
                "no Anthropic API key: set ANTHROPIC_API_KEY or name a key file in brun.yaml (or use --provider simulated)"));
    }

    private static URI url(Map<String, String> env, String name, URI fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            URI uri = URI.create(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException("no scheme or host");
            return uri;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(name + "=" + value + " is not a URL (expected e.g. http://localhost:8080): " + e.getMessage());
        }
    }

    private static Optional<String> firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) return Optional.of(a.trim());
        if (b != null && !b.isBlank()) return Optional.of(b.trim());
        return Optional.empty();
    }

    private static Map<String, String> readKeyFile(Path keyFile) {
        if (!Files.exists(keyFile)) return Map.of();
        String content;
        try {
            content = Files.readString(keyFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read the key file " + keyFile + ": " + e.getMessage());
        }
        Map<String, String> keys = new java.util.HashMap<>();
        String lonely = null;
        int lines = 0;
        for (String raw : content.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            lines++;
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().matches("[A-Z_]+")) {
                keys.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
            } else {
                lonely = line;
            }
        }
        if (lonely != null && lines == 1) keys.put("ANTHROPIC_API_KEY", lonely);
        return keys;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return "ProviderSettings[anthropicBaseUrl=" + anthropicBaseUrl + ", anthropicApiKey=" + (anthropicApiKey.isPresent() ? "set" : "unset")
                + ", openAiBaseUrl=" + openAiBaseUrl + ", openAiApiKey=" + (openAiApiKey.isPresent() ? "set" : "unset") + "]";
    }
}
