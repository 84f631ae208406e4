"""One FastAPI app: the patient chat at "/", the staff console at "/staff" behind a login.

The staff console refuses to start without configured credentials (ASSISTANT_STAFF_USERNAME and
ASSISTANT_STAFF_PASSWORD); the patient chat works either way. Nothing is shared through a public
tunnel, no analytics are sent, and no fonts are fetched from third parties.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

from library.settings import Settings
from ui.patient import create_patient_app
from ui.records import Records
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


def staff_credentials(settings: Settings) -> tuple[str, str] | None:
    user = (settings.staff_username or "").strip()
    password = settings.staff_password.get_secret_value() if settings.staff_password else ""
    if not user or not password.strip():
        return None
    return user, password


def _checker(user: str, password: str):
    def check(u: str, p: str) -> bool:
        return hmac.compare_digest(u.encode(), user.encode()) & hmac.compare_digest(p.encode(), password.encode())

    return check


def create_app(
    settings: Settings,
    pipeline,
    records: Records | None = None,
    evals_dir: Path = Path("evals/reports/latest"),
) -> FastAPI:
    """Build the whole web app without starting a server (tests call this directly)."""
    records = records or Records.from_settings(settings)
    app = FastAPI(title="Ketamine therapy education assistant", docs_url=None, redoc_url=None, openapi_url=None)
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
        manifest = pipeline.index.current().manifest
        return JSONResponse({"ok": True, "corpus_version": manifest.corpus_version, "documents": len(manifest.documents)})

    @app.get(STAFF_PATH, include_in_schema=False)
    def staff_slash():
        return RedirectResponse("staff/", status_code=307)  # relative: right behind a proxy prefix too

    credentials = staff_credentials(settings)
    if credentials is None:
        log.warning(
            "Staff console NOT started: no credentials configured. Set ASSISTANT_STAFF_USERNAME and "
            "ASSISTANT_STAFF_PASSWORD (or staff_username/staff_password in assistant.yaml) to enable %s.",
            STAFF_PATH,
        )

        @app.get(STAFF_PATH + "/{rest:path}", include_in_schema=False)
        def staff_disabled(rest: str = ""):
            return PlainTextResponse(
                "The staff console is turned off because no staff login is configured. "
                "Set ASSISTANT_STAFF_USERNAME and ASSISTANT_STAFF_PASSWORD and restart the app.",
                status_code=503,
            )
    else:
        staff = create_staff_app(pipeline, settings, records, evals_dir)
        gr.mount_gradio_app(
            app,
            staff,
            STAFF_PATH,
            auth=_checker(*credentials),
            auth_message="Clinic staff only. Sign in with the staff login configured for this app.",
            footer_links=[],
            max_file_size=MAX_UPLOAD,
            **common,
        )

    patient = create_patient_app(pipeline, settings, records)
    gr.mount_gradio_app(app, patient, "/", footer_links=[], max_file_size="1mb", **common)
    app.state.records = records
    app.state.patient = patient
    app.state.staff_enabled = credentials is not None
    return app
