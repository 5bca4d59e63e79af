package dev.brun.prompt;

import tools.jackson.databind.node.ObjectNode;

/**
 * Everything one generation call sends: the static system block (cached: identical for every unit of a
 * phase), the per-unit block, the user instruction and the tool schema.
 */
public record Prompt(String staticBlock, String unitBlock, String userMessage, String toolName,
                     String toolDescription, ObjectNode toolSchema) {
    /** Characters of the cacheable prefix: tool definition + static block (tools come first on the wire). */
    public int prefixChars() {
        return toolSchema.toString().length() + toolName.length() + toolDescription.length() + staticBlock.length();
    }

    public int totalChars() {
        return prefixChars() + unitBlock.length() + userMessage.length();
    }
}
