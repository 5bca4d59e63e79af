package dev.brun.eval;

import dev.brun.WorkFailedException;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.Turn;
import dev.brun.pack.Consultant;
import dev.brun.pack.Pack;
import dev.brun.pack.Principle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pairwise judgement: two replies to the same moment of a conversation, labelled A and B, and the question
 * which one better serves the client. It is asked twice with the replies swapped, so a judge that prefers the
 * first (or second) position cancels out.
 */
public final class PairwisePrompt {
    public static final String TOOL = "submit_preference";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The judge's choice. */
    public enum Choice { A, B, TIE }

    private PairwisePrompt() {}

    public static String system(Pack pack) {
        Consultant c = pack.consultant();
        StringBuilder b = new StringBuilder();
        b.append("You compare two candidate replies of ").append(c.displayName()).append(" of ").append(c.business())
                .append(" at the same moment of a conversation with a client, and say which one better serves the client.\n\n");
        b.append("The consultant's principles:\n");
        for (Principle p : c.principles()) b.append("- ").append(p.name()).append(": ").append(p.description()).append('\n');
        b.append("Tone: ").append(String.join(", ", c.tone())).append('\n');
        b.append("Avoid: ").append(String.join("; ", c.avoid())).append("\n\n");
        b.append("""
                Prefer the reply that acknowledges feelings before facts, asks before teaching, stays on the client's topic,
                fits what the client said about themselves, and sounds like this consultant. Ignore which reply comes first
                and how long it is. Answer "tie" only when neither is better. Answer only with JSON matching the schema.""");
        return b.toString();
    }

    /** The conversation up to the turn, then the two candidate replies. */
    public static String user(Conversation recorded, int turnIndex, String replyA, String replyB, Pack pack) {
        StringBuilder b = new StringBuilder();
        if (recorded.scaffolding() != null) {
            pack.persona(recorded.scaffolding().personaKey()).ifPresent(p -> b.append("Client: ").append(p.name()).append(", ").append(p.age())
                    .append(", ").append(p.family()).append(", ").append(p.occupation()).append('\n'));
            pack.topic(recorded.scaffolding().topicKey()).ifPresent(t -> b.append("Topic: ").append(t.name()).append('\n'));
        }
        b.append("\nConversation so far:\n");
        for (Turn t : recorded.turns()) {
            if (t.index() >= turnIndex) break;
            b.append(t.isUser() ? "CLIENT: " : "CONSULTANT: ").append(t.content() == null ? "" : t.content().strip()).append("\n\n");
        }
        b.append("Reply A:\n").append(replyA.strip()).append("\n\nReply B:\n").append(replyB.strip()).append('\n');
        return b.toString();
    }

    public static String replySchema() {
        return """
                {"type": "object", "required": ["better", "reason"], "properties": {
                  "better": {"type": "string", "enum": ["A", "B", "tie"]},
                  "reason": {"type": "string"}}}""";
    }

    public static Choice parse(String reply, String model) {
        String json = reply == null ? "" : reply.strip();
        if (json.startsWith("```")) json = json.replaceAll("^```[a-zA-Z]*\\s*", "").replaceAll("\\s*```$", "");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new WorkFailedException("judge " + model + " did not answer the pairwise question with JSON (" + e.getOriginalMessage() + ")");
        }
        String better = root == null ? "" : root.path("better").asString("").strip();
        return switch (better.toUpperCase(java.util.Locale.ROOT)) {
            case "A" -> Choice.A;
            case "B" -> Choice.B;
            case "TIE" -> Choice.TIE;
            default -> throw new WorkFailedException("judge " + model + " answered better=\"" + better + "\"; expected A, B or tie");
        };
    }

    /** The model's share of one verdict: 1 a win, ½ a tie, 0 a loss, given the position its reply was shown in. */
    public static double modelWin(Choice choice, boolean modelShownFirst) {
        if (choice == Choice.TIE) return 0.5;
        return (choice == Choice.A) == modelShownFirst ? 1.0 : 0.0;
    }
}
