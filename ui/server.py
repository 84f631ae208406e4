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
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

from library.settings import Settings
from ui.accounts import SignIn
from ui.patient import create_patient_app
from ui.protect import Limits, Protect, Refusals
from ui.records import Records
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
        staff = create_staff_app(pipeline, settings, records, evals_dir)
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
