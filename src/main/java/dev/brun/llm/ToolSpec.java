package dev.brun.llm;

import tools.jackson.databind.JsonNode;

import java.util.Objects;

/** The one tool the model is forced to call; its input schema is the output contract. */
public record ToolSpec(String name, String description, JsonNode inputSchema) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputSchema, "inputSchema");
        description = description == null ? "" : description;
    }
}
