"""What the chat remembers, in SQLite under the data folder: answers given and the feedback on them.

Nothing that identifies a person is kept: questions and comments are redacted (library/redact.py)
unless the clinic sets ``keep_identifiable_text``, and when the redactor is unsure whether a name or
an ID is left, the text is not kept at all (the kind, the refusal and the citations still are). Crisis messages are kept as counts only (kind
and time, no text) unless the clinic sets ``crisis_event_detail``. The staff review queue reads
from here: thumbs-down, refusals and no_evidence questions show where the library falls short.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal

from assistant.types import Answer
from library.settings import Settings
from library.redact import for_storage
from ui.gaps import GapQuestion

Rating = Literal["up", "down"]

WITHHELD = "(text not kept: the redactor could not rule out a name or an ID)"
"""How a question whose text was withheld (library/redact.py fails closed) shows in the review queue."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    question TEXT,
    kind TEXT NOT NULL,
    refusal_reason TEXT,
    citations TEXT NOT NULL,
    corpus_version TEXT,
    composer TEXT
);
CREATE INDEX IF NOT EXISTS answers_kind ON answers(kind, created_at);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT,
    question TEXT,
    kind TEXT,
    refusal_reason TEXT,
    citations TEXT NOT NULL,
    corpus_version TEXT
);
"""


@dataclass
class FeedbackRow:
    answer_id: str
    created_at: str
    rating: str
    reason: str | None
    question: str | None
    kind: str | None
    refusal_reason: str | None
    citations: list[dict]
    corpus_version: str | None


@dataclass
class GapRow:
    """A question the library could not answer (or would not), grouped by its text."""

    question: str
    kind: str
    refusal_reason: str | None
    count: int
    last_seen: str


@dataclass
class QuestionRow:
    """One question asked, as the questions log shows it (the text redacted, or not kept)."""

    answer_id: str
    created_at: str
    channel: str
    question: str
    outcome: str
    """``answer``, ``no_evidence``, ``crisis``, or ``refusal:REASON``."""
    citations: list[dict]
    corpus_version: str | None
    rating: str | None
    reason: str | None


OUTCOMES = ("answer", "no_evidence", "crisis", "refusal:medical_advice", "refusal:out_of_scope", "refusal:illicit", "refusal:manipulation")
CSV_COLUMNS = ("when", "channel", "question", "outcome", "cited", "corpus_version", "rating", "reason")


@dataclass
class ReviewQueue:
    thumbs_down: list[FeedbackRow] = field(default_factory=list)
    """Every thumbs-down, and every rating that came with a written reason."""
    gaps: list[GapRow] = field(default_factory=list)
    crisis_by_day: list[tuple[str, int]] = field(default_factory=list)
    crisis_total: int = 0
    crisis_messages: list[tuple[str, str]] = field(default_factory=list)  # (when, text): only with crisis_event_detail


def _day(value: str, name: str) -> str:
    value = (value or "").strip()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{name}: {value[:40]!r} is not a date; write it as YYYY-MM-DD") from None


class Records:
    def __init__(
        self,
        path: Path,
        keep_identifiable_text: bool = False,
        crisis_event_detail: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        known_words: Callable[[], Iterable[str]] = frozenset,
        keep_days: int | None = None,
    ):
        self.path = Path(path)
        self.known_words = known_words
        self.keep_identifiable_text = keep_identifiable_text
        self.crisis_event_detail = crisis_event_detail
        self.clock = clock
        self._lock = threading.Lock()
        self.keep_days = keep_days
        self._purged_at: datetime | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
        for suffix in ("", "-wal", "-shm"):  # the records are the clinic's, not every local user's
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                os.chmod(extra, 0o600)
        self.purge()

    @classmethod
    def from_settings(cls, settings: Settings, known_words: Callable[[], Iterable[str]] = frozenset) -> "Records":
        return cls(
            settings.feedback_db,
            settings.keep_identifiable_text,
            settings.crisis_event_detail,
            known_words=known_words,
            keep_days=settings.records_keep_days,
        )

    def purge(self) -> int:
        """Delete answers and feedback older than ``keep_days``; returns how many rows went."""
        self._purged_at = self.clock()
        if not self.keep_days:
            return 0
        cutoff = (self.clock() - timedelta(days=self.keep_days)).astimezone(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as db:
            gone = db.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,)).rowcount
            gone += db.execute("DELETE FROM answers WHERE created_at < ?", (cutoff,)).rowcount
        return gone

    def _purge_daily(self) -> None:
        if self._purged_at is None or self.clock() - self._purged_at > timedelta(hours=24):
            self.purge()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self.path, timeout=10)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                with db:
                    yield db
            finally:
                db.close()

    def _now(self) -> str:
        return self.clock().astimezone(timezone.utc).isoformat(timespec="seconds")

    def storable_text(self, text: str | None, kind: str | None) -> str | None:
        """The text as it may be stored: none for crisis unless detail is on; redacted unless allowed,
        and none when the redactor is unsure (it fails closed)."""
        if text is None or (kind == "crisis" and not self.crisis_event_detail):
            return None
        if self.keep_identifiable_text:
            return text
        try:
            return for_storage(text, self.known_words()).text
        except Exception:  # a redactor that fails keeps nothing
            logging.getLogger(__name__).exception("redaction failed; the text is not stored")
            return None

    # --------------------------------------------------------------------------------------------
    def log_answer(self, question: str, answer: Answer, channel: str = "chat") -> str:
        """Record one answer given; returns its id, which feedback refers to."""
        self._purge_daily()
        answer_id = uuid.uuid4().hex[:16]
        citations = [{"n": c.n, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "title": c.title} for c in answer.citations]
        with self._connect() as db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    self._now(),
                    channel,
                    self.storable_text(question, answer.kind),
                    answer.kind,
                    answer.refusal_reason,
                    json.dumps(citations),
                    answer.corpus_version,
                    answer.composer,
                ),
            )
        return answer_id

    def add_feedback(self, answer_id: str, rating: Rating, reason: str | None = None) -> bool:
        """Thumbs up or down on an answer (the latest rating wins). False when the answer is unknown."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', got {rating!r}")
        with self._connect() as db:
            row = db.execute(
                "SELECT question, kind, refusal_reason, citations, corpus_version FROM answers WHERE answer_id = ?",
                (answer_id,),
            ).fetchone()
            if row is None:
                return False
            question, kind, refusal_reason, citations, corpus_version = row
            old = db.execute("SELECT reason, rating FROM feedback WHERE answer_id = ?", (answer_id,)).fetchone()
            # A reason belongs to the rating it was written for: the same thumb again keeps it; the
            # other thumb withdraws it (the panel then asks again, for the new rating).
            kept = old[0] if old and old[1] == rating else None
            stored_reason = self.storable_text(reason.strip(), kind) if reason and reason.strip() else kept
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (answer_id, self._now(), rating, stored_reason, question, kind, refusal_reason, citations, corpus_version),
            )
        return True

    def set_reason(self, answer_id: str, reason: str) -> bool:
        with self._connect() as db:
            row = db.execute("SELECT kind FROM feedback WHERE answer_id = ?", (answer_id,)).fetchone()
            if row is None:
                return False
            db.execute(
                "UPDATE feedback SET reason = ? WHERE answer_id = ?",
                (self.storable_text(reason.strip(), row[0]) or None, answer_id),
            )
        return True

    def remove_feedback(self, answer_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM feedback WHERE answer_id = ?", (answer_id,))

    # --------------------------------------------------------------------------------------------
    def feedback(self, limit: int = 200) -> list[FeedbackRow]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT answer_id, created_at, rating, reason, question, kind, refusal_reason, citations, corpus_version "
                "FROM feedback ORDER BY created_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [FeedbackRow(*r[:7], json.loads(r[7]), r[8]) for r in rows]

    def gap_questions(self, limit: int = 600) -> list[GapQuestion]:
        """The most recent questions the library fell short on, with their text (withheld texts are
        left out): not covered, refused as off topic, or rated thumbs-down. For ``ui/gaps.py``."""
        limit = max(1, min(int(limit), 10_000))
        with self._connect() as db:
            unanswered = db.execute(
                "SELECT question, kind, created_at FROM answers WHERE question IS NOT NULL AND "
                "(kind = 'no_evidence' OR (kind = 'refusal' AND refusal_reason = 'out_of_scope')) ORDER BY created_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
            down = db.execute(
                "SELECT question, created_at FROM feedback WHERE rating = 'down' AND question IS NOT NULL AND coalesce(kind, '') != 'crisis' "
                "ORDER BY created_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        rows = [GapQuestion(q, "not covered" if k == "no_evidence" else "off topic", t) for q, k, t in unanswered]
        rows += [GapQuestion(q, "thumbs down", t) for q, t in down]
        return sorted(rows, key=lambda r: r.created_at, reverse=True)[:limit]

    def questions(
        self,
        since: str | None = None,
        until: str | None = None,
        outcome: str | None = None,
        doc_id: str | None = None,
        limit: int = 1000,
        doc_ids: Iterable[str] | None = None,
    ) -> list[QuestionRow]:
        """The questions log, newest first: ``since``/``until`` are dates (YYYY-MM-DD, inclusive),
        ``outcome`` one of ``OUTCOMES``, ``doc_id`` a document the answer cited, ``doc_ids`` any of
        several (a topic's documents; an empty collection matches nothing). Bounded by ``limit``."""
        where, args = [], []
        if since:
            where.append("a.created_at >= ?")
            args.append(_day(since, "since"))
        if until:
            where.append("substr(a.created_at, 1, 10) <= ?")
            args.append(_day(until, "until"))
        if outcome:
            if outcome not in OUTCOMES:
                raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
            kind, _, reason = outcome.partition(":")
            where.append("a.kind = ?" + (" AND a.refusal_reason = ?" if reason else ""))
            args += [kind, reason] if reason else [kind]
        if doc_id:
            where.append("a.citations LIKE ?")
            args.append('%"doc_id": ' + json.dumps(doc_id)[:300] + "%")
        if doc_ids is not None:
            wanted = sorted(set(doc_ids))[:500]
            where.append("(" + (" OR ".join("a.citations LIKE ?" for _ in wanted) or "0") + ")")
            args += ['%"doc_id": ' + json.dumps(d)[:300] + "%" for d in wanted]
        sql = (
            "SELECT a.answer_id, a.created_at, a.channel, a.question, a.kind, a.refusal_reason, a.citations, a.corpus_version, f.rating, f.reason "
            "FROM answers a LEFT JOIN feedback f ON f.answer_id = a.answer_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?"
        )
        with self._connect() as db:
            rows = db.execute(sql, (*args, max(1, min(int(limit), 10_000)))).fetchall()
        return [
            QuestionRow(
                r[0], r[1], r[2], r[3] if r[3] is not None else ("(crisis: counted, not kept)" if r[4] == "crisis" else WITHHELD),
                r[4] + (f":{r[5]}" if r[4] == "refusal" and r[5] else ""), json.loads(r[6]), r[7], r[8], r[9],
            )
            for r in rows
        ]

    @staticmethod
    def questions_csv(rows: list[QuestionRow]) -> str:
        """The log as CSV. A cell that a spreadsheet would run as a formula is quoted as text."""
        import csv
        import io

        def cell(value: object) -> str:
            text = "" if value is None else str(value)
            return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            cited = "; ".join(dict.fromkeys(c.get("title") or c.get("doc_id", "") for c in r.citations))
            writer.writerow([cell(v) for v in (r.created_at, r.channel, r.question, r.outcome, cited, r.corpus_version, r.rating, r.reason)])
        return out.getvalue()

    @staticmethod
    def per_day(rows: list[QuestionRow]) -> list[tuple[str, dict[str, int]]]:
        """Counts by day and outcome, oldest day first: the console's small chart."""
        days: dict[str, dict[str, int]] = {}
        for r in rows:
            day = days.setdefault(r.created_at[:10], {})
            day[r.outcome] = day.get(r.outcome, 0) + 1
        return sorted(days.items())

    def review_queue(self, limit: int = 100, crisis_days: int = 30) -> ReviewQueue:
        queue = ReviewQueue()
        since = (self.clock() - timedelta(days=crisis_days)).astimezone(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as db:
            rows = db.execute(
                "SELECT answer_id, created_at, rating, reason, question, kind, refusal_reason, citations, corpus_version "
                "FROM feedback WHERE rating = 'down' OR coalesce(reason, '') != '' ORDER BY created_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
            queue.thumbs_down = [FeedbackRow(*r[:7], json.loads(r[7]), r[8]) for r in rows]
            gaps = db.execute(
                "SELECT question, kind, refusal_reason, COUNT(*), MAX(created_at) FROM answers "
                "WHERE kind IN ('no_evidence', 'refusal') "
                "GROUP BY lower(trim(coalesce(question, ''))), kind, refusal_reason ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT ?",
                (limit,),
            ).fetchall()
            queue.gaps = [GapRow(g[0] if g[0] is not None else WITHHELD, *g[1:]) for g in gaps]
            queue.crisis_by_day = [
                (day, n)
                for day, n in db.execute(
                    "SELECT substr(created_at, 1, 10), COUNT(*) FROM answers WHERE kind = 'crisis' AND created_at >= ? "
                    "GROUP BY 1 ORDER BY 1 DESC",
                    (since,),
                ).fetchall()
            ]
            queue.crisis_total = db.execute("SELECT COUNT(*) FROM answers WHERE kind = 'crisis'").fetchone()[0]
            if self.crisis_event_detail:
                queue.crisis_messages = db.execute(
                    "SELECT created_at, question FROM answers WHERE kind = 'crisis' AND question IS NOT NULL "
                    "ORDER BY created_at DESC LIMIT ?",
                    (limit,),
                ).fetchall()
        return queue
