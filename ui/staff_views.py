"""What the staff console shows, as HTML. Pure functions; every value is escaped."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ingest.chunking import Chunk
from ui.gaps import GapCluster
from ui.library_admin import DocumentRow, Staged
from ui.prepublish import Checks, diff_lines
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


def staged_html(staged: Staged, checks: Checks | None = None) -> str:
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
    if checks is not None:
        parts.append(checks_html(checks))
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


def change_html(change, files: Path, current: Path | None, checks: Checks | None = None) -> str:
    """What the reviewer approves: the checks, the new text, and what changed against the live document."""
    new_path = files / change.target
    new = new_path.read_text(encoding="utf-8", errors="replace") if new_path.is_file() and new_path.suffix.lower() in (".md", ".markdown", ".txt", ".html", ".htm") else ""
    parts = [f"<p><strong>{esc(change.title)}</strong> — <code>{esc(change.target)}</code>, sent by {esc(change.editor or 'unknown')}.</p>"]
    if checks is not None:
        parts.append(checks_html(checks, with_diff=False))
    if current is not None and new:
        old = current.read_text(encoding="utf-8", errors="replace")
        parts.append("<p>Changes against the live document:</p>" + _diff_pre(diff_lines(old, new)))
    elif new:
        parts.append(f'<p>New document:</p><pre class="kea-diff">{esc(new[:20000])}</pre>')
    else:
        parts.append("<p>A PDF or another binary file: open it from the review folder to read it.</p>")
    return "".join(parts)


def _diff_pre(diff: list[str]) -> str:
    lines = "".join(
        f'<span class="{"kea-add" if d.startswith("+") else "kea-del" if d.startswith("-") else ""}">{esc(d)}</span>\n' for d in diff
    )
    return f'<pre class="kea-diff">{lines or esc("(no change in the text)")}</pre>'


def checks_html(checks: Checks, with_diff: bool = True) -> str:
    """The checks before publishing, one line each, the ones that need a look marked."""
    items = []
    if checks.duplicates:
        rows = "".join(
            f"<tr><td>{d.passage}. {esc(d.section)}</td><td>{esc(d.live_title or d.live_doc_id)} — {esc(d.live_section)}</td>"
            f"<td>{d.meaning:.2f}</td><td>{round(100 * d.text)}%</td></tr>"
            for d in checks.duplicates
        )
        items.append(
            f'<li class="kea-check-warn"><strong>Near-duplicates: {len(checks.duplicates)} of {checks.passages_checked} passages</strong> '
            "repeat a live passage. Patients may be answered from either; consider replacing that document instead."
            + _table(("New passage", "Live passage", "Meaning", "Same wording"), rows) + "</li>"
        )
    else:
        items.append(f'<li class="kea-check-ok">Near-duplicates: none of {checks.passages_checked} passages repeats a live one.</li>')
    if checks.passages_total > checks.passages_checked:
        items.append(f'<li class="kea-check-warn">Only the first {checks.passages_checked} of {checks.passages_total} passages were compared.</li>')
    items.append(
        '<li class="kea-check-ok">Held-content checks passed: no active markup (a script, frame, form or event handler) '
        "and no instructions addressed to an AI. A line that reads like a dosing instruction is listed above as a warning.</li>"
    )
    if checks.reading_grade is not None:
        cls = "kea-check-warn" if checks.hard_to_read else "kea-check-ok"
        note = " Harder than the clinic's target: shorter sentences and plainer words help." if checks.hard_to_read else ""
        items.append(
            f'<li class="{cls}">Reading grade {checks.reading_grade:.1f} (Flesch-Kincaid; target {checks.reading_grade_target:.0f} or lower).{esc(note)}</li>'
        )
    if checks.diff is not None:
        changed = sum(1 for d in checks.diff if d[:1] in "+-" and not d.startswith(("+++", "---")))
        item = f'<li class="kea-check-ok">Against the live document <code>{esc(checks.replaced or "")}</code>: {changed} lines changed.'
        items.append(item + (_diff_pre(checks.diff) if with_diff else "") + "</li>")
    elif checks.replaced:
        items.append('<li class="kea-check-ok">A replacement whose text cannot be compared line by line (PDF).</li>')
    else:
        items.append('<li class="kea-check-ok">A new document: nothing to compare with.</li>')
    return f'<section class="kea-checks" aria-label="Checks before publishing"><h3>Checks before publishing</h3><ul>{"".join(items)}</ul></section>'


def review_due_html(rows: list[DocumentRow], today: date, within_days: int, exclude_overdue: bool) -> str:
    setting = (
        "Overdue documents are <strong>left out of answers</strong> (setting <code>exclude_overdue</code> is on)."
        if exclude_overdue
        else "Overdue documents <strong>still answer patients</strong> (setting <code>exclude_overdue</code> is off)."
    )
    head = f"<p>Approved documents due for medical review within {within_days} days, or past due. {setting}</p>"
    if not rows:
        return head + '<p class="kea-empty">No document is due for review.</p>'
    body = []
    for r in rows:
        days = r.due_in(today) or 0
        when = f"<strong class=\"kea-flag\">{-days} days overdue</strong>" if days < 0 else ("due today" if days == 0 else f"in {days} days")
        cls = ' class="kea-overdue"' if days < 0 else ""
        body.append(
            f"<tr{cls}><td><strong>{esc(r.title)}</strong><br><code>{esc(r.path)}</code></td>"
            f"<td>{esc(r.review_due)}</td><td>{when}</td><td>{esc(r.reviewed_by or 'unknown')}</td><td>{esc(r.reviewed_on)}</td></tr>"
        )
    return head + _table(("Document", "Review due", "When", "Last reviewed by", "Reviewed on"), "".join(body))


def gaps_html(clusters: list[GapCluster]) -> str:
    if not clusters:
        return '<p class="kea-empty">No unanswered or thumbs-down questions with their text kept yet.</p>'
    rows = "".join(
        f"<tr><td>{i}</td><td><strong>{esc(c.central)}</strong><ul>"
        + "".join(f"<li>{esc(q)}</li>" for q in c.examples()[1:])
        + f"</ul></td><td>{c.count}</td><td>{esc(', '.join(f'{k} {v}' for k, v in sorted(c.sources.items())))}</td><td>{esc(c.last_seen[:10])}</td></tr>"
        for i, c in enumerate(clusters, 1)
    )
    return (
        f"<p>{sum(c.count for c in clusters)} questions in {len(clusters)} groups, largest first.</p>"
        + _table(("#", "Questions (the most typical first)", "Times", "How they went", "Last asked"), rows)
    )


def history_html(generations) -> str:
    if not generations:
        return '<p class="kea-empty">No publish is recorded yet.</p>'
    live = ' class="kea-live"'
    rows = "".join(
        f"<tr{live if g.live else ''}><td>{esc(g.published_at[:16].replace('T', ' '))}</td><td>{esc(g.action)}</td>"
        f"<td>{esc(g.published_by or 'not recorded')}</td><td>{esc(_changed(g.changed))}</td><td>{g.documents}</td><td>{g.chunks}</td>"
        f"<td><code>{esc(g.corpus_version)}</code>{' <strong>live</strong>' if g.live else ''}</td></tr>"
        for g in generations
    )
    return _table(("When", "What", "Who", "Documents changed", "Documents", "Passages", "Library version"), rows)


def _changed(changed: dict | None) -> str:
    parts = []
    for verb, docs in (changed or {}).items():
        if isinstance(docs, list) and docs:
            parts.append(f"{verb}: {', '.join(map(str, docs[:6]))}{' …' if len(docs) > 6 else ''}")
        elif isinstance(docs, int) and docs:  # a history line from before documents were listed
            parts.append(f"{verb}: {docs}")
    return "; ".join(parts) or "—"


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


def baseline_summary(path: Path) -> tuple[dict | None, str]:
    """The repository's recorded baseline, shown until a run of this clinic's own exists."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, ""
    meta = data.get("meta", {})
    note = (
        f"**No run on this clinic's library yet.** Shown: the project's recorded baseline "
        f"({meta.get('cases', '?')} cases, library version {meta.get('corpus_version', '?')}, {str(meta.get('started', ''))[:10]}). "
        "An admin can start a run on the live library above."
    )
    return {"meta": meta, "metrics": data.get("metrics", {})}, note


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
