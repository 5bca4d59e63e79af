package dev.brun.export;

/** What an imported file turned out to be. */
public enum ImportFormat {
    /** brightrun-lora-v4 full JSON: training_file_metadata, consultant_profile, conversations. */
    V4_JSON,
    /** brightrun-lora-v4 JSONL: an optional _meta line, then one training pair per line. */
    V4_JSONL,
    /** A hand-written seed conversation: dataset_metadata, consultant_profile, training_pairs. */
    SEED
}
