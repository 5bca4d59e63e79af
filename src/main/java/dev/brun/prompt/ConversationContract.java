package dev.brun.prompt;

import dev.brun.pack.Pack;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The output contract every generation call must satisfy: the {@code submit_conversation} tool and its
 * input schema. One definition for the whole pack (phase lists every stage key of every arc), because the
 * tool definition is the start of the cached prefix; the engine checks the arc's own stages afterwards.
 */
public final class ConversationContract {
    public static final String TOOL_NAME = "submit_conversation";
    public static final String TOOL_DESCRIPTION =
            "Submit exactly one complete conversation between the client (user) and the consultant (assistant).";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ConversationContract() {}

    public static ObjectNode inputSchema(Pack pack) {
        ObjectNode schema = MAPPER.createObjectNode();
        schema.put("type", "object");
        schema.set("required", strings("session_context", "expected_outcome", "turns"));
        ObjectNode props = schema.putObject("properties");
        props.putObject("session_context").put("type", "string")
                .put("description", "One or two sentences: who the client is and why they came, in the consultant's words.");
        props.putObject("expected_outcome").put("type", "string")
                .put("description", "Where the client should be by the end, emotionally and practically.");
        ObjectNode turns = props.putObject("turns");
        turns.put("type", "array");
        turns.put("minItems", 2);
        turns.put("description", "Alternating turns, starting with the user and ending with the assistant.");
        ObjectNode item = turns.putObject("items");
        item.put("type", "object");
        item.set("required", strings("role", "content"));
        ObjectNode ip = item.putObject("properties");
        ip.putObject("role").set("enum", strings("user", "assistant"));
        ip.putObject("content").put("type", "string").put("minLength", 1);
        ObjectNode emotion = ip.putObject("emotion");
        emotion.put("type", "object");
        emotion.put("description", "Required on user turns: the client's emotional state in this message.");
        emotion.set("required", strings("primary", "secondary", "intensity", "confidence", "valence"));
        ObjectNode ep = emotion.putObject("properties");
        ep.putObject("primary").put("type", "string");
        ep.putObject("secondary").put("type", "string");
        ep.putObject("intensity").put("type", "number").put("minimum", 0).put("maximum", 1);
        ep.putObject("confidence").put("type", "number").put("minimum", 0).put("maximum", 1);
        ep.putObject("valence").set("enum", strings("positive", "negative", "mixed"));
        ObjectNode phase = ip.putObject("phase");
        phase.put("description", "Assistant turns: the arc stage this reply belongs to.");
        ArrayNode stageEnum = phase.putArray("enum");
        pack.allStageKeys().forEach(stageEnum::add);
        ip.putObject("learning_objective").put("type", "string")
                .put("description", "Assistant turns: what this reply teaches the client.");
        ObjectNode skills = ip.putObject("skills");
        skills.put("type", "array");
        skills.put("description", "Assistant turns: the consultant skills this reply shows.");
        skills.putObject("items").put("type", "string");
        return schema;
    }

    private static ArrayNode strings(String... values) {
        ArrayNode a = MAPPER.createArrayNode();
        for (String v : values) a.add(v);
        return a;
    }
}
