package dev.brun.plan;

import dev.brun.pack.Phase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic unit keys: the same pack, phase, combination and variation always give the same key, so a
 * rerun or a crash never plans, generates or pays twice. Keys fit the Message Batches custom_id rule
 * ({@code ^[a-zA-Z0-9_-]{1,64}$}), which is why the combination is hashed rather than spelled out.
 */
public final class UnitKeys {
    private UnitKeys() {}

    public static String of(String packHash, Phase phase, String persona, String arc, String topic, int variation) {
        String material = packHash + "\n" + phase.wire() + "\n" + persona + "\n" + arc + "\n" + topic + "\n" + variation;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return phase.wire() + "-" + HexFormat.of().formatHex(digest, 0, 12) + "-v" + variation;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
