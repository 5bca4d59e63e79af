package dev.brun.export;

/** What an import found wrong in a file's content (the file still imports; the report says what to fix). */
public enum DefectKind {
    NULL_TARGET("pairs with a null or empty target_response"),
    DUPLICATE_PAIR_ID("pairs whose id another pair in the file also uses"),
    CONSTANT_QUALITY_SCORE("pairs that all carry the same quality_score (the scorer likely never ran)"),
    DUPLICATED_HISTORY_TURN("pairs whose history ends with the current user input again"),
    TRUNCATED_REPLY("replies that end mid-sentence"),
    PERSONA_CONTRADICTION("conversations where the user states an age other than the client background's"),
    LEARNING_OBJECTIVE_IS_TOPIC_KEY("pairs whose key_learning_objective is just the topic key"),
    SKILLS_ARE_PERSONA_KEYS("pairs whose demonstrates_skills lists persona keys instead of skills"),
    NONSTANDARD_VALUE("values outside the format's enums (imported as written, read by their leading word)"),
    SCHEMA_VIOLATION("JSON Schema violations"),
    UNKNOWN_PERSONA("conversations whose persona key the pack does not define"),
    UNKNOWN_ARC("conversations whose emotional arc key the pack does not define"),
    UNKNOWN_TOPIC("conversations whose topic key the pack does not define");

    private final String description;

    DefectKind(String description) { this.description = description; }

    public String description() { return description; }

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
