package dev.brun.cli;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;

/** Writes a command's --json document: pretty-printed, one document, stdout only. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {}

    public static void print(PrintWriter out, Object document) {
        out.println(MAPPER.writeValueAsString(document));
        out.flush();
    }
}
