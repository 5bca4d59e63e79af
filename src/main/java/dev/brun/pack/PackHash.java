package dev.brun.pack;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 of a pack's loaded content, serialised as canonical JSON. Hashing the loaded values (not the
 * file bytes) keeps the hash stable when only comments, whitespace or quoting change, and changes it
 * when any value does. The pack's name is left out: a copied pack keeps the hash of its original.
 */
public final class PackHash {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** What is hashed; a record so the field order is fixed. */
    private record Content(int formatVersion, Consultant consultant, List<Persona> personas, List<Arc> arcs,
                           List<Topic> topics, Rules rules) {}

    private PackHash() {}

    /** The canonical JSON whose SHA-256 is {@link Pack#hash()}: what a pack snapshot stores. */
    public static String canonicalJson(Pack pack) {
        return new String(bytes(pack.consultant(), pack.personas(), pack.arcs(), pack.topics(), pack.rules()),
                StandardCharsets.UTF_8);
    }

    /** Recomputes a pack's hash from its content (equal to pack.hash() for a pack from {@link PackLoader}). */
    public static String of(Pack pack) {
        return of(pack.consultant(), pack.personas(), pack.arcs(), pack.topics(), pack.rules());
    }

    static String of(Consultant consultant, List<Persona> personas, List<Arc> arcs, List<Topic> topics, Rules rules) {
        byte[] json = bytes(consultant, personas, arcs, topics, rules);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] bytes(Consultant consultant, List<Persona> personas, List<Arc> arcs, List<Topic> topics,
                                Rules rules) {
        return CANONICAL.writeValueAsBytes(new Content(1, consultant, personas, arcs, topics, rules));
    }
}
