"""One FastAPI app: the patient chat at "/", the staff console at "/staff" behind a login.

The staff console refuses to start without a staff account (``python -m ui.accounts``, or the older
ASSISTANT_STAFF_USERNAME and ASSISTANT_STAFF_PASSWORD); the patient chat works either way. Nothing is shared through a public
tunnel, no analytics are sent, and no fonts are fetched from third parties.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse

from library.settings import Settings, placeholders
from ui import document_page
from ui.accounts import SignIn
from ui.patient import create_patient_app
from ui.protect import Limits, Protect, Refusals
from ui.records import Records
from ui.render import PAGE_ROUTE
from ui.texts import load_texts
from ui.staff import create_staff_app

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
STAFF_PATH = "/staff"
MAX_UPLOAD = "20mb"


def theme() -> gr.themes.Base:
    # System fonts only: a patient's browser makes no request to a font service.
    return gr.themes.Soft(
        primary_hue="teal",
        neutral_hue="slate",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    ).set(
        # WCAG AA contrast: white on teal-500 is 2.5:1; this teal is 6.3:1.
        button_primary_background_fill="#0b6e69",
        button_primary_background_fill_hover="#095955",
        button_primary_text_color="#ffffff",
        button_primary_text_color_hover="#ffffff",
        body_text_color_subdued="#475569",
    )


def _bytes(size: str) -> int:
    number, unit = size[:-2], size[-2:].lower()
    return int(number) * {"kb": 1024, "mb": 1024**2, "gb": 1024**3}[unit]


def _refusals(settings: Settings) -> Refusals:
    texts = load_texts(settings.clinic)
    return Refusals(texts["limits.too_many"], texts["limits.too_large"], texts["limits.bad_request"])


def staff_credentials(settings: Settings) -> tuple[str, str] | None:
    user = (settings.staff_username or "").strip()
    password = settings.staff_password.get_secret_value() if settings.staff_password else ""
    if not user or not password.strip():
        return None
    return user, password


def create_app(
    settings: Settings,
    pipeline,
    records: Records | None = None,
    evals_dir: Path = Path("evals/reports/latest"),
) -> FastAPI:
    """Build the whole web app without starting a server (tests call this directly)."""
    records = records or Records.from_settings(settings, known_words=getattr(pipeline, "known_words", frozenset))
    unset = placeholders(settings.clinic)
    if unset:
        log.warning(
            "Clinic profile not filled in: %s still at the placeholder, so patients read e.g. \"%s\". "
            "Set them in assistant.yaml (see assistant.example.yaml) or ASSISTANT_CLINIC__<FIELD>.",
            ", ".join(f"clinic.{n}" for n in unset),
            f"call {settings.clinic.phone}",
        )
    app = FastAPI(title="Ketamine therapy education assistant", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(
        Protect,
        limits=Limits(
            max_body_bytes=settings.max_request_kb * 1024,
            max_upload_bytes=_bytes(MAX_UPLOAD),
            rate_per_minute=settings.rate_per_minute,
            rate_burst=settings.rate_burst,
            embed_origins=tuple(settings.embed_origins),
        ),
        refusals=_refusals(settings),
    )
    common = dict(
        theme=theme(),
        css_paths=[STATIC / "app.css"],
        head=(STATIC / "head.html").read_text(encoding="utf-8"),
        ssr_mode=False,
        run_history=False,
        pwa=False,
        mcp_server=False,
        show_error=False,
    )

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return JSONResponse({"ok": True, "corpus_version": pipeline.corpus_version(), "documents": len(pipeline.documents())})

    page_texts = load_texts(settings.clinic)

    @app.get(f"/{PAGE_ROUTE}/{{doc_id:path}}", include_in_schema=False)
    def library_page(doc_id: str, chunk: str | None = None, mark: str | None = None):
        """A library document as a page: what a source card opens when the document has no web address."""
        chunks = pipeline.document_chunks(doc_id) if document_page.valid_doc_id(doc_id) else None
        if not chunks:
            return HTMLResponse(document_page.not_found_html(page_texts, doc_id), status_code=404)
        html = document_page.document_page_html(chunks, page_texts, settings.clinic, chunk[:300] if chunk else None, document_page.parse_marks(mark))
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    @app.get(STAFF_PATH, include_in_schema=False)
    def staff_slash():
        return RedirectResponse("staff/", status_code=307)  # relative: right behind a proxy prefix too

    sign_in = SignIn(settings, legacy=staff_credentials(settings))
    if not sign_in.available():
        log.warning(
            "Staff console NOT started: no staff account. Add one with `python -m ui.accounts add NAME --role admin` "
            "(or set ASSISTANT_STAFF_USERNAME and ASSISTANT_STAFF_PASSWORD) and restart to enable %s.",
            STAFF_PATH,
        )

        @app.get(STAFF_PATH + "/{rest:path}", include_in_schema=False)
        def staff_disabled(rest: str = ""):
            return PlainTextResponse(
                "The staff console is turned off because no staff account exists. "
                "Add one with: python -m ui.accounts add NAME --role admin, and restart the app.",
                status_code=503,
            )
    else:
        staff = create_staff_app(pipeline, settings, records, evals_dir, role_of=sign_in.role)
        gr.mount_gradio_app(
            app,
            staff,
            STAFF_PATH,
            auth=sign_in,
            auth_message="Clinic staff only. Sign in with your staff account.",
            footer_links=[],
            max_file_size=MAX_UPLOAD,
            **common,
        )

    patient = create_patient_app(pipeline, settings, records)
    gr.mount_gradio_app(app, patient, "/", footer_links=[], max_file_size="1mb", **common)
    app.state.records = records
    app.state.patient = patient
    app.state.staff_enabled = sign_in.available()
    app.state.sign_in = sign_in
    return app
