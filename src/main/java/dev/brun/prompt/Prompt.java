package dev.brun.prompt;

import tools.jackson.databind.node.ObjectNode;

/**
 * Everything one generation call sends: the static system block (cached: identical for every unit of a
 * phase), the persona and arc block (cached too: identical for every unit of one persona x arc pair, which are
 * claimed one after another), the per-unit block (topic and variation), the user instruction and the tool schema.
 */
public record Prompt(String staticBlock, String personaArcBlock, String unitBlock, String userMessage, String toolName,
                     String toolDescription, ObjectNode toolSchema) {
    /** Characters of the first cacheable prefix: tool definition + static block (tools come first on the wire). */
    public int prefixChars() {
        return toolSchema.toString().length() + toolName.length() + toolDescription.length() + staticBlock.length();
    }

    /** Characters of the second cacheable prefix: the first one and the persona and arc block. */
    public int personaArcPrefixChars() {
        return prefixChars() + personaArcBlock.length();
    }

    public int totalChars() {
        return personaArcPrefixChars() + unitBlock.length() + userMessage.length();
    }
}
