# Sourced by scripts/app and scripts/test: create or refresh the virtual environment.
# Idempotent: when .venv exists and pyproject.toml has not changed since the last install, it does nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
STAMP=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  echo "Creating the environment in .venv (first run only; takes a few minutes)..." >&2
  "$PY" -m venv .venv
fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch first and exactly: the CPU build. A range here would fetch CUDA packages.
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  touch "$STAMP"
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False TOKENIZERS_PARALLELISM=false
export PATH="$ROOT/.venv/bin:$PATH"
