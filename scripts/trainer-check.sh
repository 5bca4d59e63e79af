#!/usr/bin/env bash
# Issue 16 trainer check (on demand, not part of ./test: the Python stack is about 1 GB). Imports the original
# platform's reference files into a fresh project, exports every format twice (--system keep and --system fold),
# then, in a Python virtual environment: loads every export with Hugging Face datasets, renders every messages line
# through real chat templates (Llama 3, Qwen 2.5, Phi-3, Gemma, Mistral v0.1), and runs TRL's SFTTrainer with a
# PEFT LoRA and assistant-only loss for a few steps on a tiny randomly initialised model on CPU, on the OpenAI and
# hf/ files, and the export's own train/trl_sft.py. Nothing is downloaded from a model hub.
#
# Usage: scripts/trainer-check.sh [WORK_DIR]
#   BRUN_TRAINER_VENV  the virtual environment (default: target/trainer-venv; made on first use)
#   BRUN_REFERENCE     the reference files (default: ../shared/reference)
#   BRUN_TORCH         the torch requirement (default: torch==2.13.0+cpu, the CPU build; e.g. torch==2.13.0)
# Results (also in BENCHMARKS.md "Trainer check"): one PASS/FAIL/NOTE line per check, then "N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mkdir -p "${1:-$here/target/trainer-check}" && cd "${1:-$here/target/trainer-check}" && pwd)"
venv="${BRUN_TRAINER_VENV:-$here/target/trainer-venv}"
reference="${BRUN_REFERENCE:-$here/../shared/reference}"
torch_req="${BRUN_TORCH:-torch==2.13.0+cpu}"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import trl, peft, datasets, jinja2" 2>/dev/null; then
  echo "trainer-check: making the Python environment in $venv (once)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$torch_req" transformers==5.18.0 trl==1.13.0 peft==0.21.0 datasets==5.0.1 \
    accelerate==1.15.0 jinja2==3.1.6
fi

project="$work/project"
rm -rf "$project" "$work/export-keep" "$work/export-fold" "$work/python"
"$here/brun" init "$project" >/dev/null
"$here/brun" import --project "$project" "$reference/training-files" "$reference"/seed-conversations/*.json | tail -n 1
"$here/brun" export --project "$project" --format all --only all --out "$work/export-keep" | tail -n 1
"$here/brun" export --project "$project" --format all --only all --system fold --out "$work/export-fold" >/dev/null

cd "$work"
CUDA_VISIBLE_DEVICES="" HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false \
  "$venv/bin/python" "$here/scripts/trainer_check.py" "$work/export-keep" "$work/export-fold" "$work/python" 2>"$work/python.log"
