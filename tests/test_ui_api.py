"""The web app without a browser: building it, the staff gate, and the named API via gradio_client."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

import assistant.pipeline as pipeline_module
from assistant.pipeline import Pipeline
from ingest.indexing import ingest
from library.settings import Settings
from tests.test_ui_support import STAFF, KeywordTriage, fallback_render, serve, write_small_corpus
from ui import create_app
from ui.records import Records


@pytest.fixture(scope="module")
def built(tmp_path_factory, monkeypatch_module):
    from tests.fakes import HashEmbedder

    root = tmp_path_factory.mktemp("ui-api")
    settings = Settings(data_dir=root / "data", corpus_dir=root / "corpus", staff_username=STAFF[0], staff_password=STAFF[1])
    embedder = HashEmbedder()
    write_small_corpus(settings.corpus_dir)
    ingest(settings.corpus_dir, settings.index_dir, settings, embedder)
    monkeypatch_module.setattr(pipeline_module, "render", fallback_render(pipeline_module.render))
    pipeline = Pipeline.load(settings, embedder=embedder, triage=KeywordTriage())
    return settings, pipeline


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_create_app_builds_without_launching(built):
    settings, pipeline = built
    app = create_app(settings, pipeline)
    client = TestClient(app)
    assert client.get("/healthz").json()["documents"] == 3
    assert client.get("/").status_code == 200
    assert app.state.staff_enabled


def test_staff_console_refuses_to_start_without_credentials(built, caplog):
    settings, pipeline = built
    bare = settings.model_copy(update={"staff_username": None, "staff_password": None})
    with caplog.at_level(logging.WARNING):
        app = create_app(bare, pipeline)
    assert "Staff console NOT started" in caplog.text
    client = TestClient(app)
    response = client.get("/staff/")
    assert response.status_code == 503 and "no staff account exists" in response.text
    assert client.get("/").status_code == 200  # the patient side still works


def test_staff_accounts_sign_in_to_the_console_and_guessing_is_throttled(built, tmp_path):
    from ui import accounts

    settings, pipeline = built
    only_accounts = settings.model_copy(update={"staff_username": None, "staff_password": None, "data_dir": tmp_path})
    accounts.add(only_accounts, "anna", "editor", "correct horse battery staple")
    client = TestClient(create_app(only_accounts, pipeline))
    for _ in range(accounts.MAX_FAILURES):
        assert client.post("/staff/login", data={"username": "anna", "password": "guess"}).status_code == 400
    assert client.post("/staff/login", data={"username": "anna", "password": "correct horse battery staple"}).status_code == 400
    fresh = TestClient(create_app(only_accounts, pipeline))
    assert fresh.post("/staff/login", data={"username": "anna", "password": "correct horse battery staple"}).status_code == 200
    assert fresh.get("/staff/config").status_code == 200


def test_staff_console_asks_for_login(built):
    settings, pipeline = built
    client = TestClient(create_app(settings, pipeline))
    assert client.get("/staff/config").status_code == 401
    assert client.post("/staff/login", data={"username": STAFF[0], "password": "wrong"}).status_code == 400
    assert client.post("/staff/login", data={"username": STAFF[0], "password": STAFF[1]}).status_code == 200
    assert client.get("/staff/config").status_code == 200


def test_named_endpoints_drive_the_chat_with_gradio_client(built):
    from gradio_client import Client

    settings, pipeline = built
    records = Records.from_settings(settings)
    with serve(create_app(settings, pipeline, records=records)) as url:
        client = Client(url + "/", verbose=False, download_files=False)
        names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
        assert {"/ask", "/feedback"} <= names
        result = client.predict("What are the common side effects of ketamine? I'm Ana, ana@x.example", [], api_name="/ask")
        assert result["kind"] in ("answer", "no_evidence") and result["answer_id"]
        assert set(result) >= {"id", "kind", "refusal_reason", "text", "citations", "timings_ms"}
        crisis = client.predict("I want to kill myself", [], api_name="/ask")
        assert crisis["kind"] == "crisis" and "988" in crisis["text"]
        stored = client.predict(result["answer_id"], "down", "my phone is 555-123-4567", api_name="/feedback")
        assert stored == {"stored": True}
        assert client.predict("unknown-id", "up", "", api_name="/feedback") == {"stored": False}
    (row,) = records.feedback()
    assert row.rating == "down" and "[phone]" in row.reason
    assert "ana@x.example" not in row.question and "Ana" not in row.question


def test_start_up_names_the_clinic_fields_still_at_their_placeholder(built, caplog):
    settings, pipeline = built
    with caplog.at_level(logging.WARNING):
        create_app(settings, pipeline)
    assert "clinic.name, clinic.phone, clinic.email, clinic.booking_url still at the placeholder" in caplog.text
    caplog.clear()
    filled = settings.clinic.model_copy(update={"name": "Calm Clinic", "phone": "555-0100", "email": "a@calm.example", "booking_url": "https://calm.example/b"})
    with caplog.at_level(logging.WARNING):
        create_app(settings.model_copy(update={"clinic": filled}), pipeline)
    assert "placeholder" not in caplog.text


def test_the_example_config_explains_and_sets_every_clinic_field(tmp_path, monkeypatch):
    from pathlib import Path

    from library.settings import ClinicProfile, CrisisResource, placeholders

    example = Path(__file__).resolve().parent.parent / "assistant.example.yaml"
    text = example.read_text(encoding="utf-8")
    for field in [*ClinicProfile.model_fields, *CrisisResource.model_fields]:
        assert f"{field}:" in text, f"assistant.example.yaml does not explain clinic field {field!r}"
    monkeypatch.setenv("ASSISTANT_CONFIG", str(example))
    loaded = Settings()
    assert loaded.clinic.name == "Riverside Ketamine Clinic" and placeholders(loaded.clinic) == []
    assert loaded.clinic.crisis_resources[0].call == "988" and loaded.clinic.self_harm_resources[0].text_body == "HOME"


def test_the_app_refuses_a_config_file_that_does_not_exist(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    for command in ([sys.executable, "app.py", "--config", str(tmp_path / "nope.yaml")], ["bash", "scripts/app", "--config", str(tmp_path / "nope.yaml")]):
        done = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "nope.yaml: no such file" in done.stderr


class AboutTriage:
    """Every message is a question about the assistant itself (the pipeline is under test here)."""

    def classify(self, question, vector=None):
        from assistant.types import TriageDecision

        return TriageDecision(category="about_the_assistant", rule="test", clean_text=question.text)


def test_a_question_about_the_assistant_is_answered_from_the_library_or_gets_its_own_description(tmp_path):
    from assistant.pipeline import Pipeline
    from assistant.types import Question
    from tests.conftest import write_doc
    from tests.fakes import HashEmbedder

    embedder = HashEmbedder()
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")
    write_small_corpus(settings.corpus_dir)
    ingest(settings.corpus_dir, settings.index_dir, settings, embedder)
    bare = Pipeline.load(settings, embedder=embedder, triage=AboutTriage()).ask(Question(text="what can this assistant help me with?"))
    assert bare.kind == "no_evidence" and "I can share general information about ketamine therapy" in bare.text
    assert "doesn't cover that question" not in bare.text  # not "not covered": the assistant describes itself

    write_doc(
        settings.corpus_dir,
        "general/what-this-assistant-can-help-with.md",
        "# What this assistant can help with\n\nThis assistant can help with general questions about ketamine therapy: how it "
        "works, what a session is like, and its risks. This assistant cannot help with questions about your own doses.\n",
        title="What this assistant can help with",
    )
    ingest(settings.corpus_dir, settings.index_dir, settings, embedder)
    answer = Pipeline.load(settings, embedder=embedder, triage=AboutTriage()).ask(Question(text="what can this assistant help me with?"))
    # Routing is under test here (a hash embedder picks sentences poorly): with a page on it, a cited answer.
    assert answer.kind == "answer" and answer.citations and "I'm here whenever you have a question" not in answer.text
