"""The web UI: a thin Gradio adapter over the assistant (patient chat) and the library (staff console).

Importing this package switches Gradio's usage analytics off: a patient-facing app reports nothing.
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("GRADIO_SSR_MODE", "False")


def create_app(settings, pipeline, **kwargs):
    """The FastAPI app with the patient chat at "/" and the staff console at "/staff"."""
    from ui.server import create_app as _create_app

    return _create_app(settings, pipeline, **kwargs)


__all__ = ["create_app"]
