"""The staff console: library, uploads, review queue, eval results. A Gradio adapter, nothing else."""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from ingest import indexing
from ingest.documents import TOPICS
from library import history
from library.manifest import read_manifest
from library.settings import Settings
from ui import clinical_review as review
from ui import gaps
from ui import library_admin as admin
from ui import prepublish
from ui import staff_views as views
from ui.eval_runs import EvalRunner
from ui.records import OUTCOMES, Records

log = logging.getLogger(__name__)

UPLOAD_TYPES = [".md", ".markdown", ".html", ".htm", ".txt", ".pdf"]
BASELINE = Path(__file__).resolve().parent.parent / "evals" / "baseline.json"


class StaffConsole:
    def __init__(self, pipeline, settings: Settings, records: Records, evals_dir: Path, role_of=None):
        self.role_of = role_of
        """The signed-in account's role (``SignIn.role``); None: everyone is an admin (a console built alone, in tests)."""
        self.pipeline = pipeline
        self.settings = settings
        self.records = records
        self.evals_dir = Path(evals_dir)
        self.corpus_dir = Path(settings.corpus_dir)
        self.index_dir = Path(getattr(getattr(pipeline, "index", None), "index_dir", None) or settings.index_dir)
        self.runner = EvalRunner(Path(settings.data_dir), self.index_dir)

    def documents(self) -> list[admin.DocumentRow]:
        return admin.list_documents(self.corpus_dir, read_manifest(self.index_dir))

    def library(self):
        rows = self.documents()
        choices = [("(a new document)", "")] + [(f"{r.title or r.path} — {r.path}", r.path) for r in rows]
        return views.library_html(rows), gr.update(choices=choices)

    def review(self) -> str:
        return views.review_html(self.records.review_queue(), self.settings.crisis_event_detail)

    def evals(self):
        """The newest report: a run from the console, else ``evals_dir``, else the repository's baseline."""
        runs = self.runner.runs()
        folder = runs[0].folder if runs else self.evals_dir
        result, report = views.eval_summary(folder)
        if result is None and not report:
            result, report = views.baseline_summary(BASELINE)
        if result is None and not report:
            return gr.update(value=None, visible=False), "No eval results yet. An admin can run them here, or run `python -m evals`."
        return gr.update(value=result, visible=result is not None), report or "(no report.md)"

    def run_evals(self, quick, request: gr.Request = None):
        _, role = self.who(request)
        if role != "admin":
            return views.error_html("Only an admin can start an eval run."), gr.update()
        message = self.runner.start(self.pipeline.corpus_version(), quick=bool(quick))
        return views.ok_html(message), gr.Timer(active=True)

    def eval_progress(self):
        status = self.runner.status()
        html = (views.ok_html if not status.text.startswith("Finished, but") else views.error_html)(status.text)
        if status.running:
            return html, gr.update(), gr.update(), gr.Timer(active=True)
        result, report = self.evals()
        return html, result, report, gr.Timer(active=False)

    # --------------------------------------------------------------------------------------------
    def review_due(self) -> str:
        today = date.today()
        rows = admin.review_due(self.documents(), self.settings.review_due_notice_days, today)
        return views.review_due_html(rows, today, self.settings.review_due_notice_days, self.settings.exclude_overdue)

    # --------------------------------------------------------------------------------------------
    def gap_clusters(self):
        threshold = self.settings.calibration.console.gap_similarity
        clusters = gaps.cluster(self.records.gap_questions(), self.pipeline.embedder.embed, threshold)
        choices = [(f"{i}. {c.central[:80]} ({c.count})", i - 1) for i, c in enumerate(clusters, 1)]
        return views.gaps_html(clusters), gr.update(choices=choices, value=0 if choices else None), clusters

    def draft_from_gap(self, chosen, clusters):
        if not clusters or chosen is None or not 0 <= int(chosen) < len(clusters):
            return gr.update(), gr.update(), gr.update(), gr.update(), views.error_html("Choose a group of questions first.")
        cluster = clusters[int(chosen)]
        note = views.ok_html(
            f"Drafted from {cluster.count} patient questions. Write the answers under each heading from your sources, "
            "fill in the fields, then Check and preview."
        )
        return gr.Tabs(selected="upload"), gr.update(value=cluster.draft_title()), gr.update(value=cluster.draft_body()), gr.update(value="draft"), note

    # --------------------------------------------------------------------------------------------
    def history(self):
        try:
            rows = indexing.published_generations(self.index_dir, self.settings)
        except Exception as exc:  # noqa: BLE001 - staff get a message, the log gets the trace
            log.exception("reading the publish history failed")
            return views.error_html(f"The history could not be read ({exc.__class__.__name__})."), gr.update(choices=[])
        choices = [(f"{g.published_at[:16].replace('T', ' ')} — {g.corpus_version} — {g.documents} documents", g.corpus_version) for g in rows if not g.live]
        return views.history_html(rows), gr.update(choices=choices, value=choices[0][1] if choices else None)

    def roll_back(self, corpus_version, request: gr.Request = None):
        username, role = self.who(request)
        if role not in review.MAY_APPROVE:
            return views.error_html("Only a medical reviewer or an admin can change what patients are answered from.")
        if not corpus_version:
            return views.error_html("Choose a version to go back to.")
        try:
            manifest = indexing.roll_back(self.index_dir, self.settings, corpus_version, by=username or None)
        except history.UnknownVersion:
            return views.error_html("That version can no longer be switched back to; refresh the list.")
        except indexing.IngestBusy:
            return views.error_html("The library is being re-indexed right now. Try again in a minute.")
        return views.ok_html(
            f"Rolled back: patients are now answered from library version {manifest.corpus_version} "
            f"({len(manifest.documents)} documents). The library folder still holds the newer files, so the next "
            "publish brings them back unless they are retired or replaced first."
        )

    # --------------------------------------------------------------------------------------------
    def prefill(self, upload):
        """A Markdown upload with front matter fills in the form."""
        if upload is None:
            return [gr.update()] * 9
        path = Path(upload if isinstance(upload, str) else upload.name)
        form, _ = admin.read_front_matter(path)
        return [
            gr.update(value=form.title),
            gr.update(value=form.topic if form.topic in TOPICS else None),
            gr.update(value=form.status if form.status in admin.STATUSES else "draft"),
            gr.update(value=form.reviewed_by),
            gr.update(value=form.reviewed_on),
            gr.update(value=form.review_due),
            gr.update(value=form.sources),
            gr.update(value=form.url),
            gr.update(value=form.id),
        ]

    def validate(self, upload, replace, title, topic, status, reviewed_by, reviewed_on, review_due, sources, url, doc_id, staged, body_text=""):
        if staged is not None:
            staged.cleanup()
        if upload is None and not (body_text or "").strip():
            return views.error_html("Choose a file to upload, or write the text in the box."), None, gr.update(interactive=False), ""
        if upload is None:
            if len(body_text) > admin.MAX_WRITTEN_CHARS:
                return views.error_html(f"The text is longer than {admin.MAX_WRITTEN_CHARS:,} characters; upload it as a file."), None, gr.update(interactive=False), ""
            path = Path(tempfile.mkdtemp(prefix="kea-written-")) / f"{admin.slug(title or 'document')}.md"
            path.write_text(body_text, encoding="utf-8")
            upload = str(path)
        path = Path(upload if isinstance(upload, str) else upload.name)
        original_name = getattr(upload, "orig_name", None) or path.name
        extra = admin.read_front_matter(path)[0].extra
        form = admin.FrontMatterForm(
            title=title or "", topic=topic or "", status=status or "", reviewed_by=reviewed_by or "",
            reviewed_on=reviewed_on or "", review_due=review_due or "", sources=sources or "", url=url or "",
            id=doc_id or "", extra=extra,
        )
        if form.status == "approved":
            # Who reviewed it and when are written by the medical reviewer's approval, not typed here.
            form.reviewed_by, form.reviewed_on = review.PENDING_REVIEWER, date.today().isoformat()
        try:
            staged = admin.stage_upload(
                self.corpus_dir, path, original_name, form, self.pipeline.embedder, self.settings, replace=replace or None
            )
        except admin.UploadRejected as exc:
            return views.error_html(str(exc)), None, gr.update(interactive=False), ""
        except Exception as exc:  # noqa: BLE001 - a broken file must give staff a message, not a trace
            log.exception("staging failed")
            return views.error_html(f"The file could not be read ({exc.__class__.__name__}: {exc})."), None, gr.update(interactive=False), ""
        if not staged.ok:
            staged.cleanup()
            return views.staged_html(staged), None, gr.update(interactive=False), ""
        checks = self._checks(staged, replace or None)
        return views.staged_html(staged, checks), staged, gr.update(interactive=True), ""

    def _checks(self, staged, replace: str | None):
        try:
            return prepublish.run(staged, self.pipeline, self.corpus_dir, self.settings, replace)
        except Exception:  # noqa: BLE001 - a failed check is reported, it does not block the preview
            log.exception("the checks before publishing failed")
            return None

    def who(self, request: gr.Request | None) -> tuple[str, str | None]:
        username = str(getattr(request, "username", None) or "")
        return username, self.role_of(username) if self.role_of else "admin"

    def publish(self, staged, status, request: gr.Request = None, progress=gr.Progress()):
        """Retiring a document publishes at once; anything patients would read goes to medical review."""
        if staged is None:
            return "Check the document first.", None, gr.update(interactive=False), ""
        username, role = self.who(request)
        refusal = review.upload_refusal(role, status or "draft")
        if refusal:
            return refusal, staged, gr.update(interactive=True), gr.update()
        if status == "retired":
            progress(0, desc="Re-indexing the library")
            result = admin.publish(
                staged, self.corpus_dir, self.index_dir, self.settings, self.pipeline.embedder, progress=self._progress(progress), published_by=username
            )
            return result.message, None, gr.update(interactive=False), ""
        try:
            change = review.submit(staged, username, self.settings)
        except review.ReviewRefused as exc:
            return str(exc), staged, gr.update(interactive=True), gr.update()
        finally:
            staged.cleanup()
        return (
            f"Sent for medical review: {change.title} ({change.target}). Nothing is live yet: a medical reviewer "
            "other than you approves it in the Medical review tab, and then it is published.",
            None, gr.update(interactive=False), "",
        )

    @staticmethod
    def _progress(progress):
        def report(done: int, total: int) -> None:
            progress((done, total), desc="Embedding passages", unit="passages")

        return report

    # --------------------------------------------------------------------------------------------
    def questions(self, since, until, outcome, doc_id, topic=""):
        try:
            doc_ids = None
            if topic:
                manifest = read_manifest(self.index_dir)
                doc_ids = [d.doc_id for d in (manifest.documents.values() if manifest else []) if d.topic == topic]
            rows = self.records.questions(since or None, until or None, outcome or None, doc_id or None, doc_ids=doc_ids)
        except ValueError as exc:
            return views.error_html(str(exc)), gr.update(value=None, visible=False)
        path = Path(tempfile.mkdtemp(prefix="kea-questions-")) / "questions.csv"
        path.write_text(self.records.questions_csv(rows), encoding="utf-8")
        return views.questions_html(rows, self.records.per_day(rows)), gr.update(value=str(path), visible=True)

    def question_filters(self):
        return gr.update(choices=[("(any document)", "")] + [(d, d) for d in self.pipeline.documents()])

    # --------------------------------------------------------------------------------------------
    def pending(self):
        try:
            return self._pending()
        except Exception as exc:  # noqa: BLE001 - staff get a message, the log gets the trace
            log.exception("listing the changes waiting for review failed")
            return gr.update(choices=[], value=None), views.error_html(f"The review list could not be read ({exc.__class__.__name__}: {exc})."), ""

    def _pending(self):
        changes = review.pending(self.settings)
        choices = [(f"{c.title} — {c.target} — by {c.editor or 'unknown'}, {c.created[:16].replace('T', ' ')}", c.id) for c in changes]
        first = choices[0][1] if choices else None
        # The first change is shown at once: a programmatic value does not always fire the dropdown's change event.
        return gr.update(choices=choices, value=first), views.pending_html(changes), self.show_change(first)

    def show_change(self, change_id):
        if not change_id:
            return ""
        try:
            change = review.find(self.settings, change_id)
        except review.ReviewRefused as exc:
            return views.error_html(str(exc))
        files = review.review_dir(self.settings) / change.id / "files"
        current = self.corpus_dir / change.target
        checks = None
        try:
            writes = {rel: (files / rel).read_bytes() for rel in change.files}
            staged = admin.stage_files(self.corpus_dir, change.target, writes, list(change.deletes), self.pipeline.embedder, self.settings)
            try:
                replaced = change.deletes[0] if change.deletes else (change.target if current.is_file() else None)
                checks = self._checks(staged, replaced) if staged.ok else None
            finally:
                staged.cleanup()
        except OSError:
            log.exception("staging a pending change for its checks failed")
        return views.change_html(change, files, current if current.is_file() else None, checks)

    def approve(self, change_id, request: gr.Request = None, progress=gr.Progress()):
        username, role = self.who(request)
        try:
            result = review.approve(
                self.settings, change_id, username, role, self.corpus_dir, self.index_dir, self.pipeline.embedder, progress=self._progress(progress)
            )
        except review.ReviewRefused as exc:
            return views.error_html(str(exc))
        return (views.ok_html if result.ok else views.error_html)(result.message)

    def discard(self, change_id, request: gr.Request = None):
        username, role = self.who(request)
        try:
            change = review.find(self.settings, change_id)
            if role not in review.MAY_APPROVE and change.editor != username:
                raise review.ReviewRefused("Only its editor or a medical reviewer can discard a change.")
            review.discard(self.settings, change_id)
        except review.ReviewRefused as exc:
            return views.error_html(str(exc))
        return views.ok_html(f"Discarded: {change.title}. The library is unchanged.")


def create_staff_app(
    pipeline, settings: Settings, records: Records | None = None, evals_dir: Path = Path("evals/reports/latest"), role_of=None
) -> gr.Blocks:
    console = StaffConsole(pipeline, settings, records or Records.from_settings(settings), evals_dir, role_of)
    with gr.Blocks(title="Library console", elem_id="kea-staff") as demo:
        gr.HTML('<header class="kea-header"><h1>Library console</h1><p>Curate what the assistant answers from, and see where it falls short.</p></header>')
        with gr.Tabs() as tabs:
            with gr.Tab("Library", id="library"):
                refresh = gr.Button("Refresh", size="sm")
                library = gr.HTML(elem_id="kea-library")
            with gr.Tab("Add or replace a document", id="upload"):
                gr.Markdown(
                    "Upload Markdown, HTML, PDF or plain text, or write the text in the box, and fill in the fields. **Check** "
                    "validates it with the same rules as indexing, runs the checks before publishing and previews its passages. "
                    "**Send for review** keeps it for a medical reviewer other than you, who approves it in the *Medical review* "
                    "tab; only then do patients see it. Retiring a document takes effect at once."
                )
                draft_note = gr.HTML(elem_id="kea-draft-note")
                with gr.Row():
                    upload = gr.File(label="Document", file_types=UPLOAD_TYPES, type="filepath", elem_id="kea-upload")
                    replace = gr.Dropdown(label="Replaces", choices=[("(a new document)", "")], value="", elem_id="kea-replace")
                body_text = gr.Textbox(label="Or write the text here (Markdown), instead of a file", lines=8, max_lines=30, elem_id="kea-f-body")
                with gr.Row():
                    title = gr.Textbox(label="Title", elem_id="kea-f-title")
                    topic = gr.Dropdown(label="Topic", choices=list(TOPICS), value=None, elem_id="kea-f-topic")
                    status = gr.Dropdown(label="Status", choices=list(admin.STATUSES), value="draft", elem_id="kea-f-status")
                with gr.Row():
                    reviewed_by = gr.Textbox(label="Reviewed by (written when a medical reviewer approves)", interactive=False, elem_id="kea-f-reviewed-by")
                    reviewed_on = gr.Textbox(label="Reviewed on (written at approval)", interactive=False, elem_id="kea-f-reviewed-on")
                    review_due = gr.Textbox(label="Review due (YYYY-MM-DD, optional)", elem_id="kea-f-review-due")
                sources = gr.Textbox(label="Sources (one reference per line)", lines=3, elem_id="kea-f-sources")
                with gr.Row():
                    url = gr.Textbox(label="Public web page (optional)", elem_id="kea-f-url")
                    doc_id = gr.Textbox(label="Stable id (optional)", elem_id="kea-f-id")
                check = gr.Button("Check and preview", variant="secondary", elem_id="kea-check")
                publish_status = gr.Markdown(elem_id="kea-publish-status")
                preview = gr.HTML(elem_id="kea-preview")
                publish = gr.Button("Send for review", variant="primary", interactive=False, elem_id="kea-publish")
                staged = gr.State(None)
            with gr.Tab("Medical review", id="approve"):
                gr.Markdown("Changes waiting for a medical reviewer, with their checks. You cannot approve a change you made yourself.")
                refresh_pending = gr.Button("Refresh", size="sm")
                approve_status = gr.HTML(elem_id="kea-approve-status")
                pending_list = gr.HTML(elem_id="kea-pending")
                change = gr.Dropdown(label="Change to review", choices=[], elem_id="kea-change")
                change_view = gr.HTML(elem_id="kea-change-view")
                with gr.Row():
                    approve = gr.Button("Approve and publish", variant="primary", elem_id="kea-approve")
                    discard = gr.Button("Discard", variant="secondary", elem_id="kea-discard")
            with gr.Tab("Review due", id="due"):
                refresh_due = gr.Button("Refresh", size="sm")
                due = gr.HTML(elem_id="kea-due")
            with gr.Tab("Questions", id="questions"):
                with gr.Row():
                    q_since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="kea-q-since")
                    q_until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="kea-q-until")
                    q_outcome = gr.Dropdown(
                        label="Outcome", choices=[("(any outcome)", "")] + [(views.outcome_label(o), o) for o in OUTCOMES], value="", elem_id="kea-q-outcome"
                    )
                    q_topic = gr.Dropdown(label="Topic", choices=[("(any topic)", "")] + [(t, t) for t in TOPICS], value="", elem_id="kea-q-topic")
                    q_doc = gr.Dropdown(label="Cited document", choices=[("(any document)", "")], value="", elem_id="kea-q-doc")
                q_apply = gr.Button("Show", size="sm", elem_id="kea-q-apply")
                q_csv = gr.File(label="Export (CSV, as filtered)", visible=False, elem_id="kea-q-csv")
                q_table = gr.HTML(elem_id="kea-questions")
            with gr.Tab("Gaps", id="gaps"):
                gr.Markdown("Questions the library could not answer, was asked off topic, or got a thumbs-down for, grouped by meaning.")
                refresh_gaps = gr.Button("Refresh", size="sm", elem_id="kea-gaps-refresh")
                gap_table = gr.HTML(elem_id="kea-gaps")
                with gr.Row():
                    gap_choice = gr.Dropdown(label="Group", choices=[], elem_id="kea-gap-choice")
                    draft = gr.Button("Draft a document for this", variant="primary", elem_id="kea-gap-draft")
                gap_state = gr.State([])
            with gr.Tab("Review queue", id="review"):
                refresh_review = gr.Button("Refresh", size="sm")
                review = gr.HTML(elem_id="kea-review")
            with gr.Tab("History", id="history"):
                gr.Markdown("Every publish and rollback: who, when, and which documents changed. Any version listed can be made live again.")
                refresh_history = gr.Button("Refresh", size="sm")
                history_status = gr.HTML(elem_id="kea-history-status")
                history_table = gr.HTML(elem_id="kea-history")
                with gr.Row():
                    version = gr.Dropdown(label="Earlier version", choices=[], elem_id="kea-version")
                    rollback = gr.Button("Roll back to this version", variant="primary", elem_id="kea-rollback")
            with gr.Tab("Evals", id="evals"):
                with gr.Row():
                    quick = gr.Checkbox(label="Quick run (the gate set, a few minutes)", value=True, elem_id="kea-eval-quick")
                    run = gr.Button("Run evals on the live library", variant="secondary", elem_id="kea-eval-run")
                    refresh_evals = gr.Button("Refresh", size="sm")
                eval_status = gr.HTML(elem_id="kea-eval-status")
                eval_timer = gr.Timer(3, active=False)
                eval_report = gr.Markdown(elem_id="kea-evals")
                eval_json = gr.JSON(label="Latest results", visible=False)

        form = [title, topic, status, reviewed_by, reviewed_on, review_due, sources, url, doc_id]
        private = {"api_visibility": "private"}
        demo.load(console.library, None, [library, replace], **private)
        demo.load(console.review, None, review, **private)
        demo.load(console.evals, None, [eval_json, eval_report], **private)
        demo.load(console.review_due, None, due, **private)
        demo.load(console.history, None, [history_table, version], **private)
        refresh.click(console.library, None, [library, replace], **private)
        refresh_review.click(console.review, None, review, **private)
        refresh_evals.click(console.evals, None, [eval_json, eval_report], **private)
        refresh_due.click(console.review_due, None, due, **private)
        run.click(console.run_evals, quick, [eval_status, eval_timer], **private)
        eval_timer.tick(console.eval_progress, None, [eval_status, eval_json, eval_report, eval_timer], **private)
        upload.upload(console.prefill, upload, form, **private)
        check.click(console.validate, [upload, replace, *form, staged, body_text], [preview, staged, publish, publish_status], **private)
        publish.click(console.publish, [staged, status], [publish_status, staged, publish, preview], concurrency_limit=1, **private).then(
            console.library, None, [library, replace], **private
        ).then(console.pending, None, [change, pending_list, change_view], **private).then(console.history, None, [history_table, version], **private)
        demo.load(console.pending, None, [change, pending_list, change_view], **private)
        demo.load(console.question_filters, None, q_doc, **private)
        q_filters = [q_since, q_until, q_outcome, q_doc, q_topic]
        demo.load(console.questions, q_filters, [q_table, q_csv], **private)
        q_apply.click(console.questions, q_filters, [q_table, q_csv], **private)
        # Not on page load: clustering embeds up to 600 questions, and patients share the model.
        refresh_gaps.click(console.gap_clusters, None, [gap_table, gap_choice, gap_state], **private)
        draft.click(console.draft_from_gap, [gap_choice, gap_state], [tabs, title, body_text, status, draft_note], **private)
        refresh_pending.click(console.pending, None, [change, pending_list, change_view], **private)
        change.input(console.show_change, change, change_view, **private)
        approve.click(console.approve, change, approve_status, concurrency_limit=1, **private).then(
            console.pending, None, [change, pending_list, change_view], **private
        ).then(console.library, None, [library, replace], **private).then(console.history, None, [history_table, version], **private)
        discard.click(console.discard, change, approve_status, **private).then(console.pending, None, [change, pending_list, change_view], **private)
        refresh_history.click(console.history, None, [history_table, version], **private)
        rollback.click(console.roll_back, version, history_status, concurrency_limit=1, **private).then(
            console.history, None, [history_table, version], **private
        ).then(console.library, None, [library, replace], **private)
    demo.staff_console = console
    return demo
