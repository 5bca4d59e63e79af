package dev.brun.quality;

import dev.brun.WorkFailedException;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.Scores;
import dev.brun.conversation.Turn;
import dev.brun.pack.Consultant;
import dev.brun.pack.Pack;
import dev.brun.pack.Principle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rubric an LLM judge scores against, the JSON it must answer with, and the parser of that answer. */
public final class JudgePrompt {
    public static final List<String> DIMENSIONS = List.of("empathy", "clarity", "appropriateness", "brand_voice");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JudgePrompt() {}

    public static String system(Pack pack) {
        Consultant c = pack.consultant();
        StringBuilder b = new StringBuilder();
        b.append("You judge training conversations between a client and ").append(c.displayName()).append(" of ").append(c.business())
                .append(". Score each dimension from 1 (poor) to 5 (excellent), with whole or half points, and give one to three short reasons each.\n\n");
        b.append("The consultant's principles:\n");
        for (Principle p : c.principles()) b.append("- ").append(p.name()).append(": ").append(p.description()).append('\n');
        b.append("Tone: ").append(String.join(", ", c.tone())).append('\n');
        b.append("Techniques: ").append(String.join("; ", c.techniques())).append('\n');
        b.append("Avoid: ").append(String.join("; ", c.avoid())).append("\n\n");
        b.append("""
                Dimensions:
                - empathy: feelings acknowledged before facts; struggles normalized; no judgment of past decisions.
                - clarity: one idea at a time; specific numbers; jargon explained; replies not overwhelming.
                - appropriateness: consistent with the client's persona and situation; advice fits the topic; the conversation is complete.
                - brand_voice: sounds like this consultant: the principles, tone and techniques above, nothing from the avoid list.
                Answer only with JSON matching the schema.""");
        return b.toString();
    }

    public static String user(Conversation c, Pack pack) {
        StringBuilder b = new StringBuilder();
        if (c.scaffolding() != null) {
            pack.persona(c.scaffolding().personaKey()).ifPresent(p -> b.append("Client: ").append(p.name()).append(", ").append(p.age())
                    .append(", ").append(p.family()).append(", ").append(p.occupation()).append(", income ").append(p.incomeRange()).append('\n'));
            pack.arc(c.scaffolding().arcKey()).ifPresent(a -> b.append("Emotional arc: ").append(a.name()).append('\n'));
            pack.topic(c.scaffolding().topicKey()).ifPresent(t -> b.append("Topic: ").append(t.name()).append('\n'));
        }
        b.append("\nConversation:\n");
        for (Turn t : c.turns()) {
            b.append(t.isUser() ? "CLIENT: " : "CONSULTANT: ").append(t.content() == null ? "" : t.content().strip()).append("\n\n");
        }
        return b.toString();
    }

    public static String replySchema() {
        StringBuilder props = new StringBuilder();
        for (String d : DIMENSIONS) {
            if (!props.isEmpty()) props.append(",\n");
            props.append("    \"").append(d).append("\": {\"type\": \"object\", \"required\": [\"score\", \"reasons\"], \"properties\": {")
                    .append("\"score\": {\"type\": \"number\", \"minimum\": 1, \"maximum\": 5}, ")
                    .append("\"reasons\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"minItems\": 1}}}");
        }
        return "{\n  \"type\": \"object\",\n  \"required\": [\"empathy\", \"clarity\", \"appropriateness\", \"brand_voice\"],\n  \"properties\": {\n"
                + props + "\n  }\n}";
    }

    /** Reads the judge's reply (JSON, possibly wrapped in a ```json fence); overall is the mean of the four. */
    public static Scores parse(String reply, String model) {
        String json = reply == null ? "" : reply.strip();
        if (json.startsWith("```")) json = json.replaceAll("^```[a-zA-Z]*\\s*", "").replaceAll("\\s*```$", "");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new WorkFailedException("judge " + model + " did not answer with JSON (" + e.getOriginalMessage()
                    + "); first 120 characters: " + Words.quote(json, 120) + ". Retry, or choose another --judge model.");
        }
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        double[] values = new double[DIMENSIONS.size()];
        for (int i = 0; i < DIMENSIONS.size(); i++) {
            String d = DIMENSIONS.get(i);
            JsonNode node = root == null ? null : root.get(d);
            if (node == null || node.get("score") == null || !node.get("score").isNumber()) {
                throw new WorkFailedException("judge " + model + " reply lacks a numeric " + d + ".score (expected the schema of JudgePrompt.replySchema()); "
                        + "reply: " + Words.quote(json, 120));
            }
            double v = node.get("score").asDouble();
            if (v < 1 || v > 5) throw new WorkFailedException("judge " + model + " scored " + d + " " + v + ", outside 1-5");
            values[i] = v;
            List<String> why = new ArrayList<>();
            JsonNode r = node.get("reasons");
            if (r != null && r.isArray()) r.forEach(x -> why.add(x.asString()));
            reasons.put(d, why);
        }
        double overall = Math.round((values[0] + values[1] + values[2] + values[3]) / 4 * 10) / 10.0;
        return new Scores(values[0], values[1], values[2], values[3], overall, "judge:" + model, reasons);
    }
}
