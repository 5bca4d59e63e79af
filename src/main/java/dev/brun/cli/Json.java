package dev.brun.cli;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;

/**
 * Writes a command's --json document: pretty-printed, one document, stdout only. Keys are snake_case
 * throughout, whether a document is built from maps or from records, so scripts meet one convention.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private Json() {}

    public static void print(PrintWriter out, Object document) {
        out.println(MAPPER.writeValueAsString(document));
        out.flush();
    }
}
