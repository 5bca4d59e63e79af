package dev.brun.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.brun.conversation.Conversation;
import dev.brun.conversation.Turn;

/** SHA-256 of a conversation's turns (role and text), so identical conversations are found by equality. */
public final class ContentHash {
    private ContentHash() {}

    public static String of(Conversation conversation) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Turn t : conversation.turns()) {
                digest.update(t.role().wire().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(t.content().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
