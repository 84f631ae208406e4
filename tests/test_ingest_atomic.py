"""An ingest killed with SIGKILL in the middle of embedding leaves the previous index live.

The index v1 is built with the real model; a second ingest over a much larger, edited corpus runs as
a real `python -m ingest` process and is killed once its progress bar shows that embedding has begun.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from ingest.indexing import ingest
from library.manifest import read_manifest
from library.settings import Settings
from library.store import ChromaStore
from tests.conftest import REPO, run_ingest, write_doc

pytestmark = pytest.mark.real_model

OLD = "After an infusion, people rest in a quiet recovery room for about forty minutes."
NEW = "After an infusion, people rest on a sofa in the garden lounge for two full hours."
PROGRESS = re.compile(r"(\d+)/(\d+)")


def write_v1(folder: Path) -> Path:
    write_doc(
        folder,
        "process/recovery.md",
        f"# Recovery\n\n## Resting after a session\n\n{OLD} A nurse checks on you during that time.\n\n"
        "## Going home\n\nA friend or family member should take you home.\n",
        title="Recovery",
        topic="process",
    )
    write_doc(folder, "risks/nausea.md", "# Nausea\n\nNausea is common during an infusion. It passes quickly.\n", title="Nausea")
    write_doc(
        folder,
        "mechanism/receptors.md",
        "# Receptors\n\nKetamine blocks NMDA receptors in the brain for a short time.\n",
        title="Receptors",
        topic="mechanism",
    )
    return folder


def write_big_edit(v1: Path, folder: Path) -> Path:
    shutil.copytree(v1, folder)
    recovery = folder / "process/recovery.md"
    recovery.write_text(recovery.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    sections = "\n\n".join(
        f"## Question {i} about session planning\n\nAnswer {i} explains how the care team plans visit number {i}. "
        f"The plan for visit {i} covers timing, rides home and who to call with questions."
        for i in range(200)
    )
    write_doc(folder, "process/planning.md", f"# Planning\n\n{sections}\n", title="Planning", topic="process")
    return folder


def start_ingest_with_a_terminal(corpus: Path, index: Path) -> tuple[subprocess.Popen, int]:
    """stderr on a pseudo-terminal, so the CLI draws its progress bar there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # tqdm draws nothing 0 columns wide
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index", str(index)],
        cwd=REPO,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "ASSISTANT_EMBEDDING_BATCH_SIZE": "4"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    return proc, master


def wait_until_embedding(proc: subprocess.Popen, master: int, timeout: float = 90) -> str:
    """Read the progress bar until at least one batch is embedded and more remain."""
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            continue
        try:
            seen += os.read(master, 4096).decode("utf-8", "replace")
        except OSError:
            break
        done = [(int(a), int(b)) for a, b in PROGRESS.findall(seen)]
        if any(0 < a < b for a, b in done):
            return seen
    raise AssertionError(f"never saw embedding in progress (exit {proc.poll()}):\n{seen[-2000:]}")


def test_sigkill_while_embedding_leaves_the_old_index_live(tmp_path: Path, real_embedder):
    settings = Settings(data_dir=tmp_path / "data")
    v1 = write_v1(tmp_path / "v1")
    index = tmp_path / "index"
    ingest(v1, index, settings, real_embedder)
    manifest_bytes = (index / "manifest.json").read_bytes()
    old = read_manifest(index)

    proc, master = start_ingest_with_a_terminal(write_big_edit(v1, tmp_path / "v2"), index)
    try:
        wait_until_embedding(proc, master)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)

    # the old index is live, whole and queryable
    assert (index / "manifest.json").read_bytes() == manifest_bytes
    store = ChromaStore(settings, index)
    assert len(store.collection_names()) == 2  # the live one and the abandoned one
    live = {c.id: c for c in store.all_chunks(old.collection)}
    assert set(live) == {cid for d in old.documents.values() for cid in d.chunk_ids}
    assert not any(NEW in c.text or "planning" in c.metadata["doc_id"] for c in live.values())
    [question] = real_embedder.embed(["How long do I rest in the recovery room after an infusion?"])
    best, _ = store.query(old.collection, question, 1)[0]
    assert OLD in live[best].text

    # the next run succeeds: it removes the abandoned collection and builds a new generation
    (v1 / "risks/nausea.md").unlink()  # a change that needs no new embedding, to keep this test quick
    done = run_ingest(v1, index, "--json", timeout=180)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["removed"], report["unchanged"], report["documents"]) == (1, 2, 2)
    manifest = read_manifest(index)
    assert manifest.generation == old.generation + 1
    assert set(store.collection_names()) == {old.collection, manifest.collection}
    chunks = list(store.all_chunks(manifest.collection))
    assert len(chunks) == manifest.chunk_count == report["chunks"]
    assert {c.metadata["doc_id"] for c in chunks} == {"process/recovery", "mechanism/receptors"}
    assert any(OLD in c.text for c in chunks) and not any(NEW in c.text for c in chunks)
