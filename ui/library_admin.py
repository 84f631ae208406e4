"""The staff side of the library, without Gradio: list documents, stage an upload, publish it.

An upload is never written straight into the corpus. It goes into a temporary copy of the corpus,
where it is validated with the same rules as ingest (``load_corpus``) and chunked with the real
tokenizer (``chunk_document``), so staff see the problems or the chunks first. Only ``publish``
copies it into the corpus and re-indexes; if indexing fails, the previous files are put back, and
ingest itself leaves the live index untouched, so nothing is published half-way.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import yaml

from ingest.chunking import Chunk, chunk_document
from ingest.documents import (
    SIDECAR_SUFFIX,
    TEXT_SUFFIXES,
    TOPICS,
    Problem,
    library_files,
    load_corpus,
    load_file,
)
from library.embedder import Embedder
from library.manifest import Manifest
from library.settings import Settings

STATUSES = ("draft", "approved", "retired")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_publish_lock = threading.Lock()


class UploadRejected(Exception):
    """The upload cannot even be staged (wrong file type, no file). The message is for staff."""


# ------------------------------------------------------------------------------------------------
# the library as staff see it


@dataclass
class DocumentRow:
    path: str
    title: str
    topic: str
    status: str
    reviewed_on: str
    review_due: str
    overdue: bool
    chunks: int | None  # None: not in the live index
    problem: str = ""
    reviewed_by: str = ""

    def due_in(self, today: date) -> int | None:
        """Days until ``review_due`` (negative: past), or None when it has none."""
        return (date.fromisoformat(self.review_due) - today).days if self.review_due else None


def review_due(rows: list[DocumentRow], within_days: int, today: date | None = None) -> list[DocumentRow]:
    """Approved documents whose review is due within ``within_days`` or past, soonest first."""
    today = today or date.today()
    due = [r for r in rows if r.status == "approved" and r.due_in(today) is not None and r.due_in(today) <= within_days]
    return sorted(due, key=lambda r: r.review_due)


def list_documents(corpus_dir: Path, manifest: Manifest | None, today: date | None = None) -> list[DocumentRow]:
    """Every document file below the corpus, valid or not, with what the live index holds of it."""
    corpus_dir = Path(corpus_dir)
    today = today or date.today()
    indexed = {entry.path: len(entry.chunk_ids) for entry in (manifest.documents.values() if manifest else [])}
    rows: list[DocumentRow] = []
    if not corpus_dir.is_dir():
        return rows
    for path, rel, fmt in library_files(corpus_dir):
        meta, _, _, problems = load_file(path, rel, fmt, corpus_dir)
        if meta is None:
            rows.append(
                DocumentRow(rel, "", "", "invalid", "", "", False, indexed.get(rel), "; ".join(plain_problem(p) for p in problems))
            )
            continue
        due = meta.review_due
        rows.append(
            DocumentRow(
                path=rel,
                title=meta.title,
                topic=meta.topic,
                status=meta.status,
                reviewed_on=meta.reviewed_on.isoformat() if meta.reviewed_on else "",
                review_due=due.isoformat() if due else "",
                overdue=bool(due and due < today and meta.status == "approved"),
                chunks=indexed.get(rel),
                problem="; ".join(plain_problem(p) for p in problems),
                reviewed_by=meta.reviewed_by or "",
            )
        )
    return rows


def plain_problem(problem: Problem) -> str:
    """A validation problem in plain words for staff."""
    where = f"{problem.path}, line {problem.line}" if problem.line else problem.path
    field_name = problem.field.replace("_", " ")
    return f"{where}: {field_name} {problem.message}" if not problem.message.startswith(field_name) else f"{where}: {problem.message}"


# ------------------------------------------------------------------------------------------------
# the front-matter form


@dataclass
class FrontMatterForm:
    title: str = ""
    topic: str = ""
    status: str = "draft"
    reviewed_by: str = ""
    reviewed_on: str = ""
    review_due: str = ""
    sources: str = ""  # one reference per line
    url: str = ""
    id: str = ""
    extra: dict = field(default_factory=dict)

    def as_yaml(self) -> str:
        data: dict = {}
        for key in ("title", "topic", "status", "reviewed_by", "reviewed_on", "review_due"):
            value = getattr(self, key).strip()
            if value:
                data[key] = value
        sources = [line.strip().lstrip("-").strip() for line in self.sources.splitlines() if line.strip().lstrip("-").strip()]
        if sources:
            data["sources"] = sources
        for key in ("url", "id"):
            value = getattr(self, key).strip()
            if value:
                data[key] = value
        for key, value in self.extra.items():
            data.setdefault(key, value)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def uploaded_front_matter_problem(path: Path) -> str | None:
    """Why an uploaded Markdown file's own front matter could not be read, in plain words; else None."""
    if path.suffix.lower() not in (".md", ".markdown"):
        return None
    text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    m = _FRONT.match(text)
    if not m:
        return None
    try:
        data = yaml.safe_load(m.group(1) or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark else ""
        return f"The uploaded file's own front matter is not valid YAML{line}, so none of its fields were used; fill them in on the form."
    return None if isinstance(data, dict) or data is None else "The uploaded file's front matter is not a list of 'field: value' lines."


def read_front_matter(path: Path) -> tuple[FrontMatterForm, str]:
    """Prefill the form from an uploaded file: its front matter (Markdown) or nothing; and its body."""
    form = FrontMatterForm()
    if path.suffix.lower() not in (".md", ".markdown"):
        return form, ""
    text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    m = _FRONT.match(text)
    if not m:
        return form, text
    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError:
        return form, text[m.end() :]
    if not isinstance(data, dict):
        return form, text[m.end() :]
    known = {"title", "topic", "status", "reviewed_by", "reviewed_on", "review_due", "url", "id", "sources"}
    for key in known - {"sources"}:
        if data.get(key) is not None:
            setattr(form, key, str(data[key]))
    sources = data.get("sources")
    if isinstance(sources, list):
        form.sources = "\n".join(str(s) for s in sources)
    elif sources:
        form.sources = str(sources)
    form.extra = {k: v for k, v in data.items() if k not in known}
    return form, text[m.end() :]


# ------------------------------------------------------------------------------------------------
# staging and publishing


@dataclass
class Staged:
    """An upload applied to a temporary copy of the corpus, validated and chunked."""

    workdir: Path
    target: str  # path relative to the corpus of the document
    writes: dict[str, bytes]  # corpus-relative path -> new content
    deletes: list[str]  # corpus-relative paths removed (a replaced file of another type)
    replaces: bool
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    indexed: bool = False  # approved and valid: patients will see it once published

    @property
    def ok(self) -> bool:
        return not self.problems

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


MAX_WRITTEN_CHARS = 200_000
"""Text written in the console's box instead of a file (a longer document is uploaded as a file)."""


def slug(name: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return stem or "document"


def target_path(original_name: str, topic: str, replace: str | None) -> str:
    suffix = Path(original_name).suffix.lower()
    if replace:
        old = Path(replace)
        return (old.parent / (old.stem + suffix)).as_posix()
    folder = topic if topic in TOPICS else "general"
    return f"{folder}/{slug(Path(original_name).stem)}{suffix}"


def stage_upload(
    corpus_dir: Path,
    upload: Path,
    original_name: str,
    form: FrontMatterForm,
    embedder: Embedder,
    settings: Settings,
    replace: str | None = None,
    today: date | None = None,
) -> Staged:
    """Apply the upload to a copy of the corpus and validate it there. Never touches ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    upload = Path(upload)
    suffix = Path(original_name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise UploadRejected(
            f"'{Path(original_name).name}' is not a file type the library takes. Use Markdown (.md), HTML (.html), PDF (.pdf) or plain text (.txt)."
        )
    if not upload.is_file():
        raise UploadRejected("The upload did not arrive; please choose the file again.")
    if replace and not (corpus_dir / replace).is_file():
        raise UploadRejected(f"'{replace}' is not in the library any more; reload the list and try again.")

    target = target_path(original_name, form.topic, replace)
    writes: dict[str, bytes] = {}
    deletes: list[str] = []
    if TEXT_SUFFIXES[suffix] == "markdown":
        _, body = read_front_matter(upload)
        writes[target] = ("---\n" + form.as_yaml() + "---\n\n" + body.lstrip("\n")).encode("utf-8")
    else:
        writes[target] = upload.read_bytes()
        writes[str(Path(target).with_suffix("")) + SIDECAR_SUFFIX] = form.as_yaml().encode("utf-8")
    if replace and replace != target:
        deletes.append(replace)
        old_sidecar = str(Path(replace).with_suffix("")) + SIDECAR_SUFFIX
        if (corpus_dir / old_sidecar).is_file() and old_sidecar not in writes:
            deletes.append(old_sidecar)

    staged = stage_files(corpus_dir, target, writes, deletes, embedder, settings, replaces=bool(replace), today=today)
    note = uploaded_front_matter_problem(upload)
    if note and staged.problems:
        staged.problems.insert(0, note)
    return staged


def stage_files(
    corpus_dir: Path,
    target: str,
    writes: dict[str, bytes],
    deletes: list[str],
    embedder: Embedder,
    settings: Settings,
    replaces: bool = False,
    today: date | None = None,
) -> Staged:
    """Apply file changes to a copy of the corpus and validate them there. Never touches ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    workdir = Path(tempfile.mkdtemp(prefix="kea-staging-"))
    staging = workdir / "corpus"
    shutil.copytree(corpus_dir, staging, ignore=shutil.ignore_patterns(".*")) if corpus_dir.is_dir() else staging.mkdir()
    for rel in deletes:
        (staging / rel).unlink(missing_ok=True)
    for rel, content in writes.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_bytes(content)

    staged = Staged(workdir, target, writes, deletes, replaces=(corpus_dir / target).is_file() or replaces)
    load = load_corpus(staging, today=today, exclude_overdue=settings.exclude_overdue, preview=target)
    staged.problems = [plain_problem(p) for p in load.problems]
    staged.warnings = [w for w in load.warnings if w.startswith(target)]
    staged.warnings += [f"{s.path}: not shown to patients ({s.reason})" for s in load.skipped if s.path == target]
    doc = next((d for d in load.documents if d.path == target), None)
    if doc is not None and doc.meta.status != "approved":
        # Checked and chunked as if approved (the checks before publishing need its passages); not shown yet.
        staged.warnings.append(
            f"{target}: status is {doc.meta.status}, so patients do not see it yet"
            + (" (a medical reviewer's approval publishes it)" if doc.meta.status == "draft" else "")
        )
    if doc is not None:
        staged.indexed = doc.meta.status == "approved"
        staged.chunks = chunk_document(
            doc, embedder.count_tokens, embedder.max_tokens, settings.chunk_tokens, settings.chunk_overlap_tokens
        )
    return staged


@dataclass
class PublishResult:
    ok: bool
    message: str
    corpus_version: str | None = None


def publish(
    staged: Staged,
    corpus_dir: Path,
    index_dir: Path,
    settings: Settings,
    embedder: Embedder,
    progress: Callable[[int, int], None] | None = None,
    ingest_fn: Callable | None = None,
    published_by: str | None = None,
) -> PublishResult:
    """Copy a validated upload into the corpus and re-index; on any failure put everything back."""
    from ingest.indexing import IngestBusy, IngestFailed, ingest

    ingest_fn = ingest_fn or ingest
    if not staged.ok:
        return PublishResult(False, "This upload has problems; fix them and validate again before publishing.")
    corpus_dir = Path(corpus_dir)
    if not _publish_lock.acquire(blocking=False):
        return PublishResult(False, "Another upload is being published right now. Please try again in a minute.")
    try:
        touched = list(staged.writes) + staged.deletes
        backup = {rel: (corpus_dir / rel).read_bytes() if (corpus_dir / rel).is_file() else None for rel in touched}
        try:
            for rel in staged.deletes:
                (corpus_dir / rel).unlink(missing_ok=True)
            for rel, content in staged.writes.items():
                (corpus_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(corpus_dir / rel, content)
            report = ingest_fn(corpus_dir, index_dir, settings, embedder, progress=progress, published_by=published_by)
        except IngestFailed as exc:
            _restore(corpus_dir, backup)
            details = "; ".join(plain_problem(p) for p in exc.problems[:5])
            return PublishResult(False, f"Nothing was published: the library did not pass validation ({details}).")
        except IngestBusy:
            _restore(corpus_dir, backup)
            return PublishResult(False, "Nothing was published: the library is being re-indexed by another task. Try again shortly.")
        except Exception as exc:  # noqa: BLE001 - any failure rolls back; staff get a plain message
            _restore(corpus_dir, backup)
            return PublishResult(False, f"Nothing was published: re-indexing failed ({exc.__class__.__name__}: {exc}).")
        verb = "replaced" if staged.replaces else "added"
        return PublishResult(
            True,
            f"Published: {staged.target} was {verb}. The library now holds {report.documents} documents "
            f"in {report.chunks} chunks (corpus version {report.corpus_version}).",
            report.corpus_version,
        )
    finally:
        _publish_lock.release()
        staged.cleanup()


def _atomic_write(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.uploading")
    tmp.write_bytes(content)
    tmp.replace(path)


def _restore(corpus_dir: Path, backup: dict[str, bytes | None]) -> None:
    for rel, content in backup.items():
        path = corpus_dir / rel
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, content)
