package dev.brun.llm;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The one redaction every provider text passes before anything stores, logs or shows it: the exact secrets
 * sent (the configured key, whole Authorization values), then anything shaped like an API key or like an
 * Authorization / x-api-key header echoed back (a proxy that reflects the request, a debug page).
 */
public final class Redaction {
    public static final String MARK = "[redacted]";
    private static final Pattern HEADER_VALUE = Pattern.compile(
            "(?i)(\"?(?:authorization|x-api-key|api-key)\"?\\s*[:=]\\s*\"?)(?:bearer\\s+)?[^\\s\",;}]+");
    private static final Pattern KEY_SHAPE = Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{12,}");

    private Redaction() {}

    public static String apply(String text, Collection<String> secrets) {
        if (text == null) return "";
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) out = out.replace(secret, MARK);
        }
        out = HEADER_VALUE.matcher(out).replaceAll("$1" + MARK);
        return KEY_SHAPE.matcher(out).replaceAll(MARK);
    }
}
