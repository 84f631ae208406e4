"""Eval runs started from the staff console: one at a time, in the background, with progress. No Gradio.

An admin starts ``python -m evals`` on the live index, as a child process (its own memory, its
own model; the app keeps answering). Each run writes its report into ``<data>/evals/<stamp>/``.
A run compares itself with the newest earlier run made on a *different* library version, that is
with the library as it was before the last publish, so the report shows what the publish changed.

The child's output is kept bounded (the last ``TAIL_BYTES``) and read for progress: one mark per
case (``.`` passed, ``F`` failed), ``i/total`` every 60 cases, and ``suite: NAME`` per suite.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

TAIL_BYTES = 64_000
RUNS = "evals"
KEEP_RUNS = 20
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class RunInfo:
    folder: Path
    started: str
    corpus_version: str
    subset: str
    seconds: float


@dataclass(frozen=True)
class Status:
    running: bool
    text: str
    """One line for staff: what is happening or what last happened."""
    cases_done: int = 0
    cases_total: int | None = None


class EvalRunner:
    def __init__(self, data_dir: Path, index_dir: Path, python: str = sys.executable, command: list[str] | None = None):
        self.runs_dir = Path(data_dir) / RUNS
        self.index_dir = Path(index_dir)
        self.python = python
        self.command = command
        """Replaces ``python -m evals`` (tests give a small script)."""
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._tail = ""
        self._started_at = 0.0
        self._last: str = ""

    # ------------------------------------------------------------------------------------------
    def runs(self) -> list[RunInfo]:
        """Finished runs, newest first."""
        out = []
        for result in self.runs_dir.glob("*/result.json") if self.runs_dir.is_dir() else []:
            try:
                meta = json.loads(result.read_text(encoding="utf-8")).get("meta", {})
            except (OSError, ValueError):
                continue
            out.append(RunInfo(result.parent, str(meta.get("started", "")), str(meta.get("corpus_version", "")), str(meta.get("subset", "")), float(meta.get("seconds") or 0)))
        return sorted(out, key=lambda r: (r.started, r.folder.name), reverse=True)

    def baseline_for(self, corpus_version: str) -> RunInfo | None:
        """The newest run made on another library version: the library before the last publish."""
        return next((r for r in self.runs() if r.corpus_version and r.corpus_version != corpus_version), None)

    def start(self, corpus_version: str, quick: bool = True) -> str:
        """Start a run; returns what to tell staff. Never two at once."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return "An eval run is already going; its progress is shown below."
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
            out = self.runs_dir / stamp
            out.mkdir(parents=True, exist_ok=True)
            args = list(self.command) if self.command else [self.python, "-m", "evals"]
            args += ["--index", str(self.index_dir), "--out", str(out)]
            if quick:
                args.append("--gate")
            base = self.baseline_for(corpus_version)
            if base is not None:
                args += ["--baseline", str(base.folder / "result.json")]
            else:
                args += ["--baseline", str(out / "none.json")]  # no earlier library version: compare with nothing
            self._tail, self._started_at = "", time.monotonic()
            self._proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            threading.Thread(target=self._read, args=(self._proc,), daemon=True).start()
            self._prune()
            what = "the quick gate set" if quick else "the full evaluation"
            since = f", compared with the run of {base.started[:16].replace('T', ' ')} (library {base.corpus_version})" if base else ""
            return f"Started {what} on the live library{since}."

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            with self._lock:
                self._tail = (self._tail + chunk.decode("utf-8", "replace"))[-TAIL_BYTES:]
        proc.wait()

    def _prune(self) -> None:
        for old in self.runs()[KEEP_RUNS:]:
            shutil.rmtree(old.folder, ignore_errors=True)

    def wait(self, timeout: float | None = None) -> int | None:
        proc = self._proc
        return proc.wait(timeout) if proc is not None else None

    def status(self) -> Status:
        with self._lock:
            proc, tail = self._proc, self._tail
        if proc is None:
            return Status(False, "No eval run started from the console yet.")
        done = len(re.findall(r"[.F]", "".join(re.findall(r"^[.F]+(?: \d+/\d+)?$", tail, re.M))))
        totals = re.findall(r"\b\d+/(\d+)\b", tail)
        total = int(totals[-1]) if totals else None
        suites = re.findall(r"^suite: (.+)$", tail, re.M)
        minutes = (time.monotonic() - self._started_at) / 60
        code = proc.poll()
        if code is None:
            phase = f"suite {suites[-1]}" if suites else f"{done}{'/' + str(total) if total else ''} cases"
            return Status(True, f"Running ({minutes:.0f} min so far): {phase}.", done, total)
        if code == 0:
            return Status(False, f"Finished after {minutes:.0f} min: {done} cases.", done, total)
        last = [line for line in tail.splitlines() if line.strip()][-3:]
        verdict = "the gate failed (see the report)" if code == 1 else f"it stopped with code {code}"
        return Status(False, f"Finished, but {verdict}. " + " / ".join(last)[-400:], done, total)
