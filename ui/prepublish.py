"""Checks a document gets before it can be published, shown above the publish button. No Gradio.

- **Near-duplicates** of passages already live, by meaning (embedding cosine) and by text (the share
  of a new passage's word 5-grams found in one live passage). The thresholds are
  ``ConsoleCalibration.duplicate_meaning`` / ``duplicate_text``, fitted on MedQuAD
  (``python -m evals.calibrate_console``). The document being replaced is not compared with itself.
- **Held content**: the ingest's own checks (instructions aimed at a model, dosing directives,
  scripts, links out); a document that fails them never reaches this stage, so passing is stated.
- **Reading grade** (Flesch-Kincaid), against the clinic's target (``reading_grade_target``).
- **A diff** against the live document being replaced.

Bounded: at most ``MAX_PASSAGES`` passages are compared, each with its ``NEIGHBOURS`` nearest live
passages; the diff compares at most ``MAX_DIFF_INPUT`` lines of each version.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.documents import TEXT_SUFFIXES
from ingest.readability import flesch_kincaid_grade, prose
from library.similarity import containment

MAX_PASSAGES = 200
NEIGHBOURS = 5
MAX_DIFF_INPUT = 3000
MAX_DIFF_LINES = 400


def diff_lines(old: str, new: str) -> list[str]:
    """A unified diff of the two texts, bounded in input and output (a diff costs length × length)."""
    old_lines, new_lines = old.splitlines()[:MAX_DIFF_INPUT], new.splitlines()[:MAX_DIFF_INPUT]
    return list(difflib.unified_diff(old_lines, new_lines, "live", "proposed", lineterm="", n=2))[:MAX_DIFF_LINES]


@dataclass(frozen=True)
class Duplicate:
    passage: int
    """1-based number of the new passage, as in the preview."""
    section: str
    live_doc_id: str
    live_title: str
    live_section: str
    meaning: float
    text: float


@dataclass
class Checks:
    duplicates: list[Duplicate] = field(default_factory=list)
    passages_checked: int = 0
    passages_total: int = 0
    reading_grade: float | None = None
    reading_grade_target: float = 10.0
    diff: list[str] | None = None
    """None: a new document (or one whose text cannot be compared)."""
    replaced: str | None = None

    @property
    def hard_to_read(self) -> bool:
        return self.reading_grade is not None and self.reading_grade > self.reading_grade_target


def _text_of(content: bytes, rel: str) -> str | None:
    if TEXT_SUFFIXES.get(Path(rel).suffix.lower()) in (None, "pdf"):
        return None
    return content.decode("utf-8", errors="replace").replace("\r\n", "\n")


def run(staged, pipeline, corpus_dir: Path, settings, replaced: str | None = None) -> Checks:
    """The checks for a staged upload (``ui.library_admin.Staged``) against the live library."""
    calibration = settings.calibration.console
    checks = Checks(reading_grade_target=settings.reading_grade_target, replaced=replaced)
    chunks = list(staged.chunks)
    checks.passages_total = len(chunks)
    if chunks:
        own = {c.doc_id for c in chunks}
        replaced_path = replaced or (staged.target if staged.replaces else None)
        compared = chunks[:MAX_PASSAGES]
        checks.passages_checked = len(compared)
        for i, (chunk, hits) in enumerate(zip(compared, pipeline.nearest_passages([c.text for c in compared], NEIGHBOURS)), 1):
            best: Duplicate | None = None
            for live, meaning in hits:
                meta = live.metadata
                if meta.get("doc_id") in own or (replaced_path and meta.get("path") == replaced_path):
                    continue
                text = containment(chunk.text, live.text)
                if meaning >= calibration.duplicate_meaning or text >= calibration.duplicate_text:
                    found = Duplicate(i, chunk.section, str(meta.get("doc_id", "")), str(meta.get("title", "")), str(meta.get("section", "")), round(meaning, 3), round(text, 3))
                    if best is None or (found.meaning, found.text) > (best.meaning, best.text):
                        best = found
            if best is not None:
                checks.duplicates.append(best)
        body = "\n\n".join(_strip_overlap(chunks))
        checks.reading_grade = round(flesch_kincaid_grade(prose(body)), 1)
    new = _text_of(staged.writes.get(staged.target, b""), staged.target)
    old_rel = replaced or (staged.target if staged.replaces else None)
    old_path = Path(corpus_dir) / old_rel if old_rel else None
    if new is not None and old_path is not None and old_path.is_file():
        old = _text_of(old_path.read_bytes(), old_rel)
        if old is not None:
            checks.diff = diff_lines(old, new)
    return checks


def _strip_overlap(chunks) -> list[str]:
    """Chunk texts with each chunk's overlap with the one before cut off, so nothing counts twice."""
    out, end = [], -1
    for c in sorted(chunks, key=lambda c: c.char_start):
        cut = max(0, end - c.char_start)
        out.append(c.text[cut:] if cut < len(c.text) else "")
        end = max(end, c.char_end)
    return out
