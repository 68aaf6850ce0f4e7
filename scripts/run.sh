#!/usr/bin/env bash
# One command on a fresh machine: install policyqa and its default local model, index the demo corpus,
# and open the chat UI on http://127.0.0.1:7860 (settings: policyqa.toml or POLICYQA_* variables).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh model-1-5b
.venv/bin/policyqa models install
.venv/bin/policyqa ingest
exec .venv/bin/policyqa serve "$@"
