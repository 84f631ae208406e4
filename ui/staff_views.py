"""What the staff console shows, as HTML. Pure functions; every value is escaped."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.chunking import Chunk
from ui.library_admin import DocumentRow, Staged
from ui.records import ReviewQueue
from ui.render import esc

REASON_LABELS = {
    "medical_advice": "personal medical advice",
    "out_of_scope": "out of scope",
    "illicit": "illicit use",
    "manipulation": "tried to change the rules",
}


def library_html(rows: list[DocumentRow]) -> str:
    if not rows:
        return '<p class="kea-empty">The library folder holds no documents yet.</p>'
    overdue = sum(r.overdue for r in rows)
    live = sum(1 for r in rows if r.chunks is not None)
    head = "".join(f"<th scope=\"col\">{h}</th>" for h in ("Document", "Status", "Topic", "Reviewed on", "Review due", "Chunks"))
    body = []
    for r in rows:
        cls = " class=\"kea-overdue\"" if r.overdue else (" class=\"kea-invalid\"" if r.status == "invalid" else "")
        due = esc(r.review_due) + (' <strong class="kea-flag">overdue</strong>' if r.overdue else "")
        title = f"<strong>{esc(r.title)}</strong><br>" if r.title else ""
        problem = f'<br><span class="kea-problem">{esc(r.problem)}</span>' if r.problem else ""
        chunks = "not indexed" if r.chunks is None else str(r.chunks)
        body.append(
            f"<tr{cls}><td>{title}<code>{esc(r.path)}</code>{problem}</td><td>{esc(r.status)}</td><td>{esc(r.topic)}</td>"
            f"<td>{esc(r.reviewed_on)}</td><td>{due}</td><td>{esc(chunks)}</td></tr>"
        )
    summary = f"<p>{len(rows)} documents, {live} in the live index" + (f", <strong>{overdue} overdue for review</strong>" if overdue else "") + ".</p>"
    return f'{summary}<div class="kea-table-wrap"><table class="kea-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def chunks_html(chunks: list[Chunk], limit: int = 60) -> str:
    items = []
    for i, c in enumerate(chunks[:limit], 1):
        items.append(
            f'<li class="kea-chunk"><p class="kea-chunk-section">{i}. {esc(c.section)}</p><pre class="kea-chunk-text">{esc(c.text)}</pre></li>'
        )
    more = f"<p>… and {len(chunks) - limit} more.</p>" if len(chunks) > limit else ""
    return f'<ol class="kea-chunks">{"".join(items)}</ol>{more}'


def staged_html(staged: Staged) -> str:
    if staged.problems:
        problems = "".join(f"<li>{esc(p)}</li>" for p in staged.problems)
        return (
            '<div class="kea-error" role="alert"><p><strong>This document cannot be published yet.</strong> '
            f"Nothing has been changed in the library. Please fix:</p><ul>{problems}</ul></div>"
        )
    verb = "replace" if staged.replaces else "add"
    parts = [f'<div class="kea-ok" role="status"><p><strong>Ready to publish.</strong> This will {verb} <code>{esc(staged.target)}</code>.</p>']
    for w in staged.warnings:
        parts.append(f'<p class="kea-warning">{esc(w)}</p>')
    parts.append("</div>")
    if staged.indexed:
        parts.append(f"<p>Patients will be answered from these {len(staged.chunks)} passages:</p>")
        parts.append(chunks_html(staged.chunks))
    return "".join(parts)


def ok_html(message: str) -> str:
    return f'<div class="kea-ok" role="status"><p>{esc(message)}</p></div>'


def pending_html(changes) -> str:
    if not changes:
        return '<p class="kea-empty">No changes are waiting for review.</p>'
    rows = "".join(
        f"<tr><td>{esc(c.title)}</td><td><code>{esc(c.target)}</code></td><td>{'revision' if c.replaces else 'new'}</td>"
        f"<td>{esc(c.editor or 'unknown')}</td><td>{esc(c.created[:16].replace('T', ' '))}</td></tr>"
        for c in changes
    )
    return _table(("Document", "File", "Change", "Editor", "Sent"), rows)


MAX_DIFF_LINES = 400
MAX_DIFF_INPUT = 3000
"""Lines of each version compared; a longer document is compared on its first 3,000 lines."""


def change_html(change, files: Path, current: Path | None) -> str:
    """What the reviewer approves: the new text, and what changed against the live document."""
    import difflib

    new_path = files / change.target
    new = new_path.read_text(encoding="utf-8", errors="replace") if new_path.is_file() and new_path.suffix.lower() in (".md", ".markdown", ".txt", ".html", ".htm") else ""
    parts = [f"<p><strong>{esc(change.title)}</strong> — <code>{esc(change.target)}</code>, sent by {esc(change.editor or 'unknown')}.</p>"]
    if current is not None and new:
        old = current.read_text(encoding="utf-8", errors="replace")
        # Bounded: a diff's cost grows with the product of the lengths, and an upload may be 20 MB.
        old_lines, new_lines = old.splitlines()[:MAX_DIFF_INPUT], new.splitlines()[:MAX_DIFF_INPUT]
        diff = list(difflib.unified_diff(old_lines, new_lines, "live", "proposed", lineterm="", n=2))[:MAX_DIFF_LINES]
        lines = "".join(
            f'<span class="{"kea-add" if d.startswith("+") else "kea-del" if d.startswith("-") else ""}">{esc(d)}</span>\n' for d in diff
        )
        parts.append(f'<p>Changes against the live document:</p><pre class="kea-diff">{lines or esc("(no change in the text)")}</pre>')
    elif new:
        parts.append(f'<p>New document:</p><pre class="kea-diff">{esc(new[:20000])}</pre>')
    else:
        parts.append("<p>A PDF or another binary file: open it from the review folder to read it.</p>")
    return "".join(parts)


OUTCOME_LABELS = {"answer": "answered", "no_evidence": "not covered", "crisis": "crisis"}


def outcome_label(outcome: str) -> str:
    kind, _, reason = outcome.partition(":")
    return OUTCOME_LABELS.get(kind) or "refused: " + REASON_LABELS.get(reason, reason or "other")


def questions_html(rows, per_day) -> str:
    if not rows:
        return '<p class="kea-empty">No questions match.</p>'
    peak = max((sum(c.values()) for _, c in per_day), default=1) or 1
    bars = "".join(
        f'<tr><td>{esc(day)}</td><td><span class="kea-bar" style="width:{max(2, round(120 * sum(c.values()) / peak))}px"></span> '
        f'{sum(c.values())}</td><td>{esc(", ".join(f"{outcome_label(o)} {n}" for o, n in sorted(c.items())))}</td></tr>'
        for day, c in per_day[-31:]
    )
    chart = _table(("Day", "Questions", "Outcomes"), bars)
    table = "".join(
        f"<tr><td>{esc(r.created_at[:16].replace('T', ' '))}</td><td>{esc(r.question)}</td><td>{esc(outcome_label(r.outcome))}</td>"
        f"<td>{esc('; '.join(dict.fromkeys(c.get('title') or c.get('doc_id', '') for c in r.citations)))}</td>"
        f"<td>{esc(r.rating or '')}</td><td>{esc(r.reason or '')}</td><td><code>{esc(r.corpus_version or '')}</code></td></tr>"
        for r in rows
    )
    return (
        f"<p>{len(rows)} questions.</p><h3>By day</h3>{chart}<h3>Questions</h3>"
        + _table(("When", "Question (redacted)", "Outcome", "Cited", "Rating", "Reason", "Library version"), table)
    )


def error_html(message: str) -> str:
    return f'<div class="kea-error" role="alert"><p>{esc(message)}</p></div>'


def review_html(queue: ReviewQueue, crisis_detail: bool) -> str:
    parts = ["<h3>Thumbs down, and every written comment</h3>"]
    if queue.thumbs_down:
        rows = "".join(
            f"<tr><td>{esc(f.created_at[:16].replace('T', ' '))}</td><td>{esc(f.question or '(not stored)')}</td>"
            f"<td>{esc('down' if f.rating == 'down' else 'up')}</td><td>{esc(f.kind)}</td><td>{esc(f.reason or '')}</td>"
            f"<td>{esc(', '.join(dict.fromkeys(c.get('title', c.get('doc_id', '')) for c in f.citations)))}</td><td><code>{esc(f.corpus_version or '')}</code></td></tr>"
            for f in queue.thumbs_down
        )
        parts.append(_table(("When", "Question", "Rating", "Answer kind", "Reason given", "Cited", "Library version"), rows))
    else:
        parts.append('<p class="kea-empty">No thumbs-down yet.</p>')

    parts.append("<h3>Questions the library could not answer</h3>")
    if queue.gaps:
        rows = "".join(
            f"<tr><td>{esc(g.question)}</td><td>{esc('not covered' if g.kind == 'no_evidence' else 'refused: ' + REASON_LABELS.get(g.refusal_reason or '', g.refusal_reason or ''))}</td>"
            f"<td>{g.count}</td><td>{esc(g.last_seen[:10])}</td></tr>"
            for g in queue.gaps
        )
        parts.append(_table(("Question", "Outcome", "Times asked", "Last asked"), rows))
    else:
        parts.append('<p class="kea-empty">None so far.</p>')

    parts.append("<h3>Crisis messages</h3>")
    days = ", ".join(f"{esc(d)}: {n}" for d, n in queue.crisis_by_day) or "none"
    parts.append(f"<p>{queue.crisis_total} in total. Last 30 days by day: {days}.</p>")
    if crisis_detail and queue.crisis_messages:
        rows = "".join(f"<tr><td>{esc(w[:16].replace('T', ' '))}</td><td>{esc(q)}</td></tr>" for w, q in queue.crisis_messages)
        parts.append(_table(("When", "Message (redacted)"), rows))
    elif not crisis_detail:
        parts.append('<p class="kea-note">Only counts are kept. The clinic can turn on more detail with the setting crisis_event_detail.</p>')
    return "".join(parts)


def _table(headers: tuple[str, ...], rows: str) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    return f'<div class="kea-table-wrap"><table class="kea-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def eval_summary(folder: Path) -> tuple[dict | None, str]:
    """The latest eval results, if any: (result.json, report.md text)."""
    result_path, report_path = Path(folder) / "result.json", Path(folder) / "report.md"
    result = None
    if result_path.is_file():
        try:
            result = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            result = {"error": f"result.json could not be read: {exc}"}
    report = report_path.read_text(encoding="utf-8") if report_path.is_file() else ""
    return result, report
