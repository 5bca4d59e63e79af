#!/usr/bin/env python3
"""Checks brun's exports against real trainer tooling: Hugging Face datasets, real chat templates, TRL SFTTrainer.

Run by scripts/trainer-check.sh, which makes the exports and the virtual environment:

    trainer_check.py KEEP_EXPORT FOLD_EXPORT WORK_DIR

KEEP_EXPORT was written with `export --system keep` (the default), FOLD_EXPORT with `--system fold`. Prints one
line per check and a summary; exits 1 when a check that must pass fails. Nothing is downloaded: the chat templates
are the ones TRL ships (trl/chat_templates, copies of the models' own) plus Mistral v0.1's below, the tokenizer is
trained here on the export's text, and the model is a tiny randomly initialised Llama.
"""
import json
import pathlib
import subprocess
import sys
import time

import datasets
import jinja2
import torch
import transformers
import trl
from datasets import load_dataset
from peft import LoraConfig
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
from trl import SFTConfig, SFTTrainer

# Mistral-7B-Instruct-v0.1's template (it has no system role and enforces strict alternation).
MISTRAL_V01 = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
    "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"
)
TEMPLATE_DIR = pathlib.Path(trl.__file__).parent / "chat_templates"
# name -> (template text, has a system role)
TEMPLATES = {
    "llama3": ((TEMPLATE_DIR / "llama3.jinja").read_text(), True),
    "qwen2.5": ((TEMPLATE_DIR / "qwen2_5.jinja").read_text(), True),
    "phi3": ((TEMPLATE_DIR / "phi3.jinja").read_text(), True),
    "gemma": ((TEMPLATE_DIR / "gemma.jinja").read_text(), False),
    "mistral-v0.1": (MISTRAL_V01, False),
}
SPECIALS = ["<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<pad>", "<unk>",
            "<|im_start|>", "<|im_end|>", "<start_of_turn>", "<end_of_turn>", "<s>", "</s>",
            "<|user|>", "<|assistant|>", "<|system|>", "<|end|>", "<|endoftext|>"]

results = []  # (check, ok, detail, must_pass)


def record(check, ok, detail, must_pass=True):
    results.append((check, ok, detail, must_pass))
    print(("PASS " if ok else ("FAIL " if must_pass else "NOTE ")) + check + ": " + detail, flush=True)


def jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def chat_files(export):
    return sorted(p for pattern in ("openai-*.jsonl", "hf/*.jsonl") for p in export.glob(pattern))


def check_datasets(export):
    for f in chat_files(export) + sorted(export.glob("sharegpt-*.jsonl")):
        ds = load_dataset("json", data_files=str(f), split="train")
        key = "conversations" if f.name.startswith("sharegpt") else "messages"
        record(f"datasets loads {f.relative_to(export)}", ds.num_rows == len(jsonl(f)) and key in ds.column_names,
               f"{ds.num_rows} rows, columns {ds.column_names}")
    hf = load_dataset(str(export / "hf"))
    record("datasets loads hf/ as a dataset folder (its card's configs)", "train" in hf,
           ", ".join(f"{k}: {v.num_rows} rows" for k, v in hf.items()))
    doc = load_dataset("json", data_files=str(export / "training-v4.json"), field="conversations", split="train")
    record("datasets loads training-v4.json (field=conversations)", doc.num_rows > 0, f"{doc.num_rows} conversations")
    try:
        lines = load_dataset("json", data_files=str(export / "training-v4.jsonl"), split="train")
        record("datasets loads training-v4.jsonl", lines.num_rows > 0, f"{lines.num_rows} rows (the _meta line included)",
               must_pass=False)
    except Exception as e:  # the first line is a _meta header, as the format says; datasets wants one schema
        record("datasets loads training-v4.jsonl", False, f"{type(e).__name__}: the _meta header line has another shape"
               " than the pair lines; skip it (e.g. pandas/json per line) or use training-v4.json", must_pass=False)


def render_all(export, label, expect_system_ok):
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    env.globals["raise_exception"] = raise_exception
    lines = [m for f in chat_files(export) for m in jsonl(f)]
    for name, (text, has_system) in TEMPLATES.items():
        template = env.from_string(text)
        ok, errors = 0, {}
        for line in lines:
            try:
                template.render(messages=line["messages"], bos_token="<s>", eos_token="</s>", add_generation_prompt=False,
                                tools=None)
                ok += 1
            except jinja2.exceptions.TemplateError as e:
                errors[str(e)] = errors.get(str(e), 0) + 1
        must = has_system or not expect_system_ok
        detail = f"{ok}/{len(lines)} lines render" + (f"; errors: {errors}" if errors else "")
        if has_system or not expect_system_ok:
            record(f"{label}: {name} template renders every messages line", ok == len(lines), detail, must_pass=must)
        else:
            record(f"{label}: {name} template (no system role) rejects the system message", ok == 0, detail,
                   must_pass=False)


def tiny_model(export, work):
    texts = [m["content"] for f in chat_files(export) for line in jsonl(f) for m in line["messages"]]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=2000, special_tokens=SPECIALS,
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>",
                                        pad_token="<pad>", unk_token="<unk>")
    tokenizer.chat_template = TEMPLATES["llama3"][0]
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32768,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    folder = work / "tiny-llama"
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder, sum(p.numel() for p in model.parameters())


def train(model_dir, data_file, work, name, steps=3):
    data = load_dataset("json", data_files=str(data_file), split="train")
    config = SFTConfig(output_dir=str(work / ("out-" + name)), assistant_only_loss=True, max_length=16384, max_steps=steps,
                       per_device_train_batch_size=1, learning_rate=2e-4, logging_steps=1, save_strategy="no",
                       report_to="none", use_cpu=True, bf16=False)
    lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=str(model_dir), args=config, train_dataset=data, peft_config=lora)
    sample = trainer.train_dataset[0]
    trained_ids = [t for t, label in zip(sample["input_ids"], sample["labels"]) if label != -100]
    trained = trainer.processing_class.decode(trained_ids)
    messages = data[0]["messages"]
    first_reply = next(m["content"] for m in messages if m["role"] == "assistant")
    first_user = next(m["content"] for m in messages if m["role"] == "user")
    # Assistant-only loss: the consultant's words are trained, the client's and the system prompt's are not.
    masked = len(trained_ids) if first_reply.strip()[:60] in trained and first_user.strip()[:60] not in trained else None
    started = time.monotonic()
    out = trainer.train()
    seconds = time.monotonic() - started
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    return out, losses, masked, len(sample["input_ids"]), trainable, seconds


def main():
    keep, fold, work = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    work.mkdir(parents=True, exist_ok=True)
    print(f"versions: datasets {datasets.__version__}, transformers {transformers.__version__}, trl {trl.__version__}, "
          f"torch {torch.__version__}, jinja2 {jinja2.__version__}", flush=True)
    check_datasets(keep)
    render_all(keep, "--system keep", expect_system_ok=True)
    render_all(fold, "--system fold", expect_system_ok=False)

    model_dir, params = tiny_model(keep, work)
    print(f"tiny model: Llama, 2 layers, hidden 64, {params} parameters, random weights, llama3 chat template", flush=True)
    for name, f in (("openai", keep / "openai-train.jsonl"), ("hf", keep / "hf" / "train.jsonl")):
        try:
            out, losses, masked, length, trainable, seconds = train(model_dir, f, work, name)
            ok = len(losses) == 3 and all(l == l and l > 0 for l in losses) and masked and 0 < masked < length
            record(f"TRL SFTTrainer + LoRA, assistant-only loss, on {f.relative_to(keep)}", bool(ok),
                   f"3 steps, losses {[round(l, 3) for l in losses]}, first example {length} tokens of which {masked} "
                   f"are the consultant's (trained), {trainable} trainable LoRA parameters, {seconds:.1f} s")
        except Exception as e:
            record(f"TRL SFTTrainer + LoRA, assistant-only loss, on {f.relative_to(keep)}", False, f"{type(e).__name__}: {e}")
    try:
        train(model_dir, keep / "sharegpt-train.jsonl", work, "sharegpt", steps=1)
        record("TRL SFTTrainer, assistant-only loss, on sharegpt-train.jsonl", True, "trained", must_pass=False)
    except Exception as e:
        record("TRL SFTTrainer, assistant-only loss, on sharegpt-train.jsonl", False,
               f"{type(e).__name__}: {str(e).splitlines()[0][:160]} (use the messages files with TRL)", must_pass=False)

    script = keep / "train" / "trl_sft.py"
    run = subprocess.run([sys.executable, str(script), "--model", str(model_dir), "--max-steps", "2",
                          "--output", str(work / "out-trl-script")], capture_output=True, text=True,
                         env={"CUDA_VISIBLE_DEVICES": "", **__import__("os").environ})
    tail = (run.stdout + run.stderr).strip().splitlines()[-1:] or [""]
    record("the export's own train/trl_sft.py runs (2 steps on the tiny model)", run.returncode == 0,
           f"exit {run.returncode}; {tail[0][:200]}")

    failed = [r for r in results if r[3] and not r[1]]
    print(f"\n{sum(1 for r in results if r[3] and r[1])} passed, {len(failed)} failed, "
          f"{sum(1 for r in results if not r[3])} notes")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
