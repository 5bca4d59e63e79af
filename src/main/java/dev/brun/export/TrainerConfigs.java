package dev.brun.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starting points for training on an export, written beside its files: train/axolotl.yaml (Axolotl,
 * {@code type: chat_template}) and train/trl_sft.py (TRL SFTTrainer with a PEFT LoRA). Both name the very files this
 * export wrote, train on the consultant's replies only, and use the same LoRA settings, so the two trainers learn
 * the same thing from the same data.
 */
final class TrainerConfigs {
    static final String AXOLOTL = "train/axolotl.yaml";
    static final String TRL = "train/trl_sft.py";
    /** Shown where brun.yaml names no target_model: an example, said to be one. */
    static final String EXAMPLE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

    static final int LORA_R = 16;
    static final int LORA_ALPHA = 32;
    static final double LORA_DROPOUT = 0.05;

    /**
     * The files the configs train on, relative to the export folder: the messages files (hf/ before openai-) or, when
     * only ShareGPT was written, those (Axolotl maps its fields; TRL cannot train on them with assistant-only loss).
     */
    record Data(String train, String validation, boolean shareGpt) {}

    private final ExportSettings settings;
    private final Data data;

    TrainerConfigs(ExportSettings settings, Data data) {
        this.settings = settings;
        this.data = data;
    }

    /** The data files for the formats written, or null when no chat format was written (v4 only: nothing to train on here). */
    static Data dataFor(ExportSettings settings, int[] perSplit) {
        String prefix = settings.formats().contains(ExportFormat.HF) ? "hf/"
                : settings.formats().contains(ExportFormat.OPENAI) ? "openai-"
                : settings.formats().contains(ExportFormat.SHAREGPT) ? "sharegpt-" : null;
        if (prefix == null || perSplit[Split.TRAIN.ordinal()] == 0) return null;
        String validation = perSplit[Split.VALIDATION.ordinal()] > 0 ? prefix + Split.VALIDATION.wire() + ".jsonl" : null;
        return new Data(prefix + Split.TRAIN.wire() + ".jsonl", validation, prefix.equals("sharegpt-"));
    }

    private String model() { return settings.targetModel() == null ? EXAMPLE_MODEL : settings.targetModel(); }

    private String modelNote() {
        return settings.targetModel() == null
                ? "  # an example: brun.yaml sets no target_model; put your base model here (or set target_model and export again)"
                : "  # brun.yaml target_model";
    }

    private String systemNote() {
        return switch (settings.systemMessage()) {
            case KEEP -> "the system prompt is the first message of every conversation (export --system keep)";
            case FOLD -> "no system message: the prompt opens the first user message (export --system fold), for templates without a system role";
            case DROP -> "no system message (export --system drop): serve the model without one too";
        };
    }

    String axolotl() {
        List<String> y = new ArrayList<>();
        y.add("# Axolotl config for this export, written by brun " + settings.brunVersion() + ". Run it from the export folder:");
        y.add("#   axolotl train train/axolotl.yaml");
        y.add("# Loss on the consultant's replies only (roles_to_train: assistant); " + systemNote() + ".");
        y.add("base_model: " + yaml(model()) + modelNote());
        y.add("chat_template: tokenizer_default  # the base model's own template");
        y.add("");
        y.add("datasets:");
        dataset(y, data.train());
        if (data.validation() != null) {
            y.add("test_datasets:");
            dataset(y, data.validation());
            y.add("val_set_size: 0");
        } else {
            y.add("val_set_size: 0  # the export has no validation split (export --split 1)");
        }
        y.add("");
        y.add("sequence_len: " + settings.maxTokensPerExample() + "  # export --max-tokens: no conversation is longer (estimated)");
        y.add("sample_packing: false");
        y.add("");
        y.add("adapter: lora");
        y.add("lora_r: " + LORA_R);
        y.add("lora_alpha: " + LORA_ALPHA);
        y.add("lora_dropout: " + format(LORA_DROPOUT));
        y.add("lora_target_linear: true");
        y.add("");
        y.add("num_epochs: 3");
        y.add("micro_batch_size: 1");
        y.add("gradient_accumulation_steps: 8");
        y.add("learning_rate: 0.0002");
        y.add("lr_scheduler: cosine");
        y.add("optimizer: adamw_torch");
        y.add("bf16: auto");
        y.add("output_dir: ./train/adapter");
        return String.join("\n", y) + "\n";
    }

    private void dataset(List<String> y, String path) {
        y.add("  - path: " + path);
        y.add("    ds_type: json");
        y.add("    type: chat_template");
        if (data.shareGpt()) {
            y.add("    field_messages: conversations");
            y.add("    message_property_mappings:");
            y.add("      role: from");
            y.add("      content: value");
            y.add("    roles:");
            y.add("      system: [system]");
            y.add("      user: [human]");
            y.add("      assistant: [gpt]");
        } else {
            y.add("    field_messages: messages");
            y.add("    message_property_mappings:");
            y.add("      role: role");
            y.add("      content: content");
        }
        y.add("    roles_to_train: [assistant]");
        y.add("    train_on_eos: turn");
    }

    /** The TRL script, or null when the export wrote only ShareGPT (TRL's assistant-only loss needs role/content messages). */
    String trl() {
        if (data.shareGpt()) return null;
        String validation = data.validation() == null ? "None" : "\"" + data.validation() + "\"";
        return """
                #!/usr/bin/env python3
                \"\"\"Fine-tunes a LoRA adapter on this export with TRL's SFTTrainer (written by brun %s).

                Loss on the consultant's replies only (assistant_only_loss); %s.
                Run from anywhere (paths are relative to this script):

                    pip install trl peft datasets
                    python train/trl_sft.py [--model NAME_OR_PATH] [--output DIR] [--max-steps N]
                \"\"\"
                import argparse
                import pathlib

                import torch
                from datasets import load_dataset
                from peft import LoraConfig
                from trl import SFTConfig, SFTTrainer

                EXPORT = pathlib.Path(__file__).resolve().parent.parent
                TRAIN = "%s"
                VALIDATION = %s
                MODEL = "%s"%s
                MAX_LENGTH = %d  # export --max-tokens: no conversation is longer (estimated)


                def main():
                    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
                    parser.add_argument("--model", default=MODEL, help="base model: a Hub name or a local folder")
                    parser.add_argument("--output", default=str(EXPORT / "train" / "adapter"))
                    parser.add_argument("--max-steps", type=int, default=-1, help="stop after N steps (default: %d epochs)")
                    args = parser.parse_args()

                    files = {"train": str(EXPORT / TRAIN)}
                    if VALIDATION:
                        files["validation"] = str(EXPORT / VALIDATION)
                    data = load_dataset("json", data_files=files)
                    config = SFTConfig(
                        output_dir=args.output,
                        assistant_only_loss=True,
                        max_length=MAX_LENGTH,
                        num_train_epochs=%d,
                        max_steps=args.max_steps,
                        per_device_train_batch_size=1,
                        gradient_accumulation_steps=8,
                        learning_rate=2e-4,
                        lr_scheduler_type="cosine",
                        logging_steps=1,
                        eval_strategy="epoch" if VALIDATION else "no",
                        save_strategy="no",
                        report_to="none",
                        bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
                        use_cpu=not torch.cuda.is_available(),
                    )
                    lora = LoraConfig(r=%d, lora_alpha=%d, lora_dropout=%s, target_modules="all-linear", task_type="CAUSAL_LM")
                    trainer = SFTTrainer(model=args.model, args=config, train_dataset=data["train"],
                                         eval_dataset=data.get("validation"), peft_config=lora)
                    trainer.train()
                    trainer.save_model(args.output)


                if __name__ == "__main__":
                    main()
                """.formatted(settings.brunVersion(), systemNote(), data.train(), validation, model(),
                settings.targetModel() == null ? "  # an example: brun.yaml sets no target_model" : "  # brun.yaml target_model",
                settings.maxTokensPerExample(), 3, 3, LORA_R, LORA_ALPHA, format(LORA_DROPOUT));
    }

    private static String format(double d) { return String.format(Locale.ROOT, "%s", d); }

    private static String yaml(String s) {
        return s.matches("[A-Za-z0-9._/-]+") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
