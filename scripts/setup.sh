#!/usr/bin/env bash
# Set up policyqa in ./.venv on a fresh machine. Usage: scripts/setup.sh [EXTRA ...]
# torch==2.13.0 goes in first: it takes the local CPU wheel; an unpinned torch pulls a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q torch==2.13.0
extras=$(IFS=,; echo "$*")
.venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
