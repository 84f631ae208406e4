"""Helpers for the UI tests (no tests here): a keyword triage, a small library, a live server."""

from __future__ import annotations

import pytest

import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from assistant.guard import guard
from assistant.types import TriageDecision
from tests.conftest import write_doc

STAFF = ("staff", "correct-horse-battery")


class KeywordTriage:
    """Deterministic triage for UI tests: the UI is under test here, not the classifier."""

    def classify(self, question, vector=None) -> TriageDecision:
        cleaned = guard(question.text, 2000)
        text = cleaned.text.lower()
        if re.search(r"kill myself|end my life|suicid", text):
            category = "crisis"
        elif re.search(r"\bmy dose\b|should i (?:take|stop)", text):
            category = "medical_advice"
        elif re.search(r"\bweather\b|\brecipe\b", text):
            category = "out_of_scope"
        else:
            category = "ok"
        return TriageDecision(category=category, rule="test.keywords", clean_text=cleaned.text)


def fallback_render(original):
    """Patient messages that prompts/messages/ may not hold yet (triage's templates land separately)."""

    def render(name, clinic, **values):
        try:
            return original(name, clinic, **values)
        except Exception:  # jinja2.TemplateNotFound
            if name == "crisis":
                lines = [f"- **{r.name}:** {r.how}" for r in clinic.crisis_resources]
                return "\n".join(lines) + "\n\nYou deserve support, and you don't have to go through this alone."
            return f"I can't help with that here. Please contact {clinic.name} at {clinic.phone}."

    return render


def write_small_corpus(folder: Path) -> Path:
    write_doc(
        folder,
        "risks/common-side-effects.md",
        "# Common side effects\n\n"
        "Ketamine often causes side effects on the day of treatment. Nausea, dizziness and feeling detached "
        "are the most common side effects of ketamine. Most side effects fade within two hours of a session.\n\n"
        "## Blood pressure\n\n"
        "Ketamine raises blood pressure for a short time during a session. Staff check your blood pressure "
        "before and after each session.\n",
        title="Common side effects",
        url="https://clinic.example/side-effects",
        review_due="2026-03-01",
    )
    write_doc(
        folder,
        "process/iv-session.md",
        "# What an IV session is like\n\n"
        "An IV ketamine session lasts about forty minutes. A nurse stays with you during the whole infusion. "
        "You rest in a quiet room and may listen to music.\n\n"
        "## Going home\n\n"
        "You cannot drive for the rest of the day after a session. Someone must take you home.\n",
        title="What an IV session is like",
        topic="process",
    )
    write_doc(
        folder,
        "general/markup-test.md",
        "# Hallucination markup test\n\n"
        # Ingest refuses active HTML (scripts, event handlers: tests/test_ingest_documents.py); the
        # markup it lets through must still show as text.
        "Some people report vivid dream-like hallucinations <img src=x> <u>during</u> the ketamine infusion itself.\n",
        title="Vivid dreams <b>during</b> treatment",
        topic="general",
    )
    return folder


@pytest.fixture
def library(settings, hash_embedder):
    """The small corpus, indexed with the hash embedder: the staff-side tests' library."""
    from ingest.indexing import ingest

    corpus = write_small_corpus(settings.corpus_dir)
    ingest(corpus, settings.index_dir, settings, hash_embedder)
    return corpus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app) -> Iterator[str]:
    """Run a FastAPI app with uvicorn in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
