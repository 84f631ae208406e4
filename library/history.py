"""The library's publish history: every generation that went live, who published it, and when.

Each publish (an ingest that switched the manifest) and each rollback appends one line to
``INDEX/history.jsonl`` and keeps a copy of that generation's manifest in ``INDEX/manifests/``.
The last ``keep_generations`` published generations stay in the store, so any of them can be made
live again (``rollback``) with the same atomic switch an ingest uses. Older ones are removed, with
their sentence vectors and manifest copy, so disk use stays flat however often the library changes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from library.manifest import Manifest, read_manifest, write_manifest

HISTORY_NAME = "history.jsonl"
MANIFESTS = "manifests"


@dataclass(frozen=True)
class Generation:
    corpus_version: str
    collection: str
    published_at: str
    published_by: str | None
    documents: int
    chunks: int
    live: bool
    action: str = "publish"
    changed: dict | None = None

    def contract_json(self) -> dict:
        """The fields of CONTRACT §6."""
        return {
            "corpus_version": self.corpus_version,
            "published_at": self.published_at,
            "published_by": self.published_by,
            "documents": self.documents,
            "chunks": self.chunks,
            "live": self.live,
        }


class UnknownVersion(LookupError):
    """No generation that can still be switched back to has this corpus_version."""


def manifest_copy(index_dir: Path, collection: str) -> Path:
    return Path(index_dir) / MANIFESTS / f"{collection}.json"


def record(index_dir: Path, manifest: Manifest, published_by: str | None, action: str = "publish", changed: dict | None = None) -> None:
    """Note that ``manifest`` went live: a copy of it, and a line of history (appended, synced)."""
    index_dir = Path(index_dir)
    copy = manifest_copy(index_dir, manifest.collection)
    copy.parent.mkdir(parents=True, exist_ok=True)
    if not copy.exists():
        copy.write_text(manifest.model_dump_json(), encoding="utf-8")
    line = {
        "corpus_version": manifest.corpus_version,
        "collection": manifest.collection,
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "published_by": (published_by or None) and str(published_by)[:120],
        "documents": len(manifest.documents),
        "chunks": manifest.chunk_count,
        "action": action,
        "changed": changed or {},
    }
    with open(index_dir / HISTORY_NAME, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


MAX_LISTED = 200


def changes(old: Manifest | None, new: Manifest) -> dict[str, list[str]]:
    """Which documents (their paths) a switch from ``old`` to ``new`` added, updated and removed."""
    before = {d.doc_id: d for d in (old.documents.values() if old else [])}
    after = new.documents
    return {
        "added": sorted(d.path for i, d in after.items() if i not in before)[:MAX_LISTED],
        "updated": sorted(d.path for i, d in after.items() if i in before and before[i].content_hash != d.content_hash)[:MAX_LISTED],
        "removed": sorted(d.path for i, d in before.items() if i not in after)[:MAX_LISTED],
    }


def events(index_dir: Path) -> list[dict]:
    """Every line of the history, oldest first (a damaged line is skipped, never fatal)."""
    path = Path(index_dir) / HISTORY_NAME
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def generations(index_dir: Path, available: set[str]) -> list[Generation]:
    """Every generation that can still be switched to (its collection is in ``available``), newest first."""
    index_dir = Path(index_dir)
    live = read_manifest(index_dir)
    latest: dict[str, dict] = {}
    for event in events(index_dir):
        if event.get("collection") in available and manifest_copy(index_dir, event["collection"]).is_file():
            latest[event["collection"]] = event
    rows = [
        Generation(
            corpus_version=e["corpus_version"], collection=c, published_at=e["published_at"], published_by=e.get("published_by"),
            documents=int(e.get("documents", 0)), chunks=int(e.get("chunks", 0)), live=bool(live and live.collection == c),
            action=e.get("action", "publish"), changed=e.get("changed") or {},
        )
        for c, e in latest.items()
    ]
    return sorted(rows, key=lambda g: g.published_at, reverse=True)


def published(index_dir: Path) -> list[str]:
    """Collections that went live at some point (newest last): the ones an ingest must not treat as abandoned."""
    seen: dict[str, None] = {}
    for event in events(index_dir):
        if event.get("collection"):
            seen.pop(event["collection"], None)
            seen[event["collection"]] = None
    return list(seen)


def rollback(index_dir: Path, corpus_version: str, available: set[str], by: str | None = None) -> Manifest:
    """Make the generation with ``corpus_version`` live again; raises UnknownVersion."""
    candidates = [g for g in generations(index_dir, available) if g.corpus_version == corpus_version]
    if not candidates:
        raise UnknownVersion(f"no generation with corpus_version {corpus_version!r} can be switched back to (see --history)")
    target = candidates[0]
    manifest = Manifest.model_validate_json(manifest_copy(index_dir, target.collection).read_text(encoding="utf-8"))
    write_manifest(index_dir, manifest)
    record(index_dir, manifest, by, action="rollback")
    return manifest
