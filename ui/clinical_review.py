"""Two-person clinical review: medical content reaches patients only after a second person approves it.

An upload from the staff console never goes live by itself. It is validated as always, then kept
as a *pending change* under ``<data dir>/review/`` (the corpus, and so the live library, are not
touched: a document being revised stays live in its approved form meanwhile). A medical reviewer
(role ``reviewer`` or ``admin``) who is not the change's editor approves it: that act writes
``status: approved``, ``reviewed_by`` (the reviewer's account) and ``reviewed_on`` (today) into its
front matter, validates it again against the library as it is now, and publishes it (the same
all-or-nothing publish as before). Retiring a document, which only takes it out of answers, needs
no second person. Without Gradio: the console calls these and shows what they return.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from ingest.documents import SIDECAR_SUFFIX, TEXT_SUFFIXES
from library.embedder import Embedder
from library.settings import Settings
from ui import library_admin as admin

MAY_APPROVE = frozenset({"reviewer", "admin"})
MAY_EDIT = frozenset({"editor", "reviewer", "admin"})
FOLDER = "review"
_ID = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$")
MAX_PENDING = 500
PENDING_REVIEWER = "(awaiting medical review)"
"""What ``reviewed_by`` holds in a change that waits: the approval replaces it with the reviewer."""


class ReviewRefused(Exception):
    """Why this person cannot do this, in words for staff."""


@dataclass(frozen=True)
class Pending:
    id: str
    target: str
    title: str
    editor: str
    created: str
    replaces: bool
    files: tuple[str, ...]
    deletes: tuple[str, ...]


def review_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / FOLDER


def upload_refusal(role: str | None, status: str) -> str | None:
    """Why this upload cannot be kept for review, or None."""
    if role not in MAY_EDIT:
        return "Your account has no role that may change the library; ask an admin."
    if status not in admin.STATUSES:
        return f"Status must be one of {', '.join(admin.STATUSES)}."
    return None


def approval_refusal(role: str | None, username: str, change: Pending) -> str | None:
    """Why this person may not approve this change, or None."""
    if role not in MAY_APPROVE:
        return "Only a medical reviewer can approve a document for patients."
    if change.editor and change.editor == username:
        return "You made this change, so a different medical reviewer must approve it."
    return None


def submit(staged: admin.Staged, editor: str, settings: Settings, now: datetime | None = None) -> Pending:
    """Keep a validated upload as a pending change. The corpus is not touched."""
    if not staged.ok:
        raise ReviewRefused("This upload has problems; fix them and check it again first.")
    folder = review_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*/change.json"))) >= MAX_PENDING:
        raise ReviewRefused(f"{MAX_PENDING} changes are already waiting for review; approve or discard some first.")
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S")
    change_id = f"{stamp}-{secrets.token_hex(4)}"
    home = folder / change_id
    (home / "files").mkdir(parents=True)
    for rel, content in staged.writes.items():
        (home / "files" / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / "files" / rel).write_bytes(content)
    title = next((c.title for c in staged.chunks), "") or _title_of(staged)
    meta = {
        "id": change_id, "target": staged.target, "title": title, "editor": editor,
        "created": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"), "replaces": staged.replaces,
        "files": sorted(staged.writes), "deletes": list(staged.deletes),
    }
    (home / "change.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return _pending(meta)


def pending(settings: Settings) -> list[Pending]:
    out = []
    for path in sorted(review_dir(settings).glob("*/change.json")):
        try:
            out.append(_pending(json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, KeyError, TypeError):
            continue  # a damaged record is skipped, never fatal
    return out


def find(settings: Settings, change_id: str) -> Pending:
    if not _ID.match(change_id or ""):
        raise ReviewRefused("Choose a change to review.")
    for change in pending(settings):
        if change.id == change_id:
            return change
    raise ReviewRefused("That change is no longer waiting for review; refresh the list.")


def discard(settings: Settings, change_id: str) -> None:
    change = find(settings, change_id)
    shutil.rmtree(review_dir(settings) / change.id, ignore_errors=True)


def approve(
    settings: Settings,
    change_id: str,
    reviewer: str,
    role: str | None,
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    today: date | None = None,
    progress=None,
) -> admin.PublishResult:
    """Approve a pending change as ``reviewer`` and publish it, or refuse with the reason."""
    change = find(settings, change_id)
    refusal = approval_refusal(role, reviewer, change)
    if refusal:
        raise ReviewRefused(refusal)
    today = today or date.today()
    home = review_dir(settings) / change.id / "files"
    writes = {rel: (home / rel).read_bytes() for rel in change.files}
    writes = {rel: _approved(rel, content, change.target, reviewer, today) for rel, content in writes.items()}
    staged = admin.stage_files(Path(corpus_dir), change.target, writes, list(change.deletes), embedder, settings, today=today)
    if not staged.ok:
        staged.cleanup()
        return admin.PublishResult(False, "Not approved: the document no longer passes the library's checks: " + "; ".join(staged.problems[:5]))
    result = admin.publish(staged, Path(corpus_dir), Path(index_dir), settings, embedder, progress=progress, published_by=reviewer)
    if result.ok:
        shutil.rmtree(review_dir(settings) / change.id, ignore_errors=True)
        result.message = f"Approved by {reviewer} on {today.isoformat()}. " + result.message
    return result


# ------------------------------------------------------------------------------------------------


def _pending(meta: dict) -> Pending:
    return Pending(
        id=str(meta["id"]), target=str(meta["target"]), title=str(meta.get("title") or meta["target"]),
        editor=str(meta.get("editor") or ""), created=str(meta.get("created") or ""), replaces=bool(meta.get("replaces")),
        files=tuple(str(f) for f in meta.get("files", [])), deletes=tuple(str(f) for f in meta.get("deletes", [])),
    )


def _title_of(staged: admin.Staged) -> str:
    for rel, content in staged.writes.items():
        m = re.search(rb"^title:\s*(.+)$", content, re.M)
        if m:
            return m.group(1).decode("utf-8", "replace").strip().strip("'\"")
    return staged.target


def _approved(rel: str, content: bytes, target: str, reviewer: str, today: date) -> bytes:
    """The document's own fields with the approval written in (front matter, or the sidecar)."""
    is_sidecar = rel.endswith(SIDECAR_SUFFIX)
    is_markdown = rel == target and TEXT_SUFFIXES.get(Path(rel).suffix.lower()) == "markdown"
    if not (is_sidecar or is_markdown):
        return content
    text = content.decode("utf-8")
    if is_sidecar:
        data, body = yaml.safe_load(text) or {}, None
    else:
        m = re.match(r"\A---\n(.*?\n)?---\n", text, re.S)
        data, body = (yaml.safe_load(m.group(1) or "") or {}, text[m.end() :]) if m else ({}, text)
    if data.get("status") == "retired":
        return content
    data.update(status="approved", reviewed_by=reviewer, reviewed_on=today.isoformat())
    fields = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return (fields if is_sidecar else "---\n" + fields + "---\n" + body).encode("utf-8")
