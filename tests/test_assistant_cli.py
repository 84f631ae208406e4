"""`python -m assistant ask|retrieve` as a separate process (CONTRACT §3 and §4), with the real triage.

A small library (a few real documents, copied) is indexed once with `python -m ingest`; every
command then runs from the repository root with HF_HUB_OFFLINE=1, as an outside caller would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.assistant_index import assert_answer_object
from tests.conftest import CORPUS, REPO

pytestmark = pytest.mark.real_model

DOCUMENTS = [
    "risks/common-side-effects",
    "risks/bladder-and-urinary-problems",
    "process/cost-and-insurance",
    "general/what-this-assistant-can-and-cannot-do",
]
SIDE_EFFECTS_HISTORY = [
    {"role": "user", "content": "what are the common side effects of ketamine?"},
    {"role": "assistant", "content": "Dissociation, dizziness and nausea are the most common [1]."},
]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus, index): a copy of a few library documents, indexed by the ingest command."""
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    for doc_id in DOCUMENTS:
        target = corpus / f"{doc_id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / f"{doc_id}.md", target)
    index = root / "index"
    done = run("-m", "ingest", "--corpus", str(corpus), "--index", str(index), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"] == len(DOCUMENTS)
    return corpus, index


def assert_quotes_are_from_the_library(obj: dict, corpus: Path) -> None:
    for c in obj["citations"]:
        source = (corpus / f"{c['doc_id']}.md").read_text(encoding="utf-8")
        assert c["quote"] in source, c


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-2000:]


# ---------------------------------------------------------------------------------------------
# ask "QUESTION"


def test_ask_prints_one_answer_object(library):
    corpus, index = library
    done = run("-m", "assistant", "ask", "--index", str(index), "can ketamine cause bladder problems?")
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert_answer_object(obj)
    assert obj["id"] is None and obj["kind"] == "answer"
    assert any(c["doc_id"] == "risks/bladder-and-urinary-problems" for c in obj["citations"])
    assert_quotes_are_from_the_library(obj, corpus)


# ---------------------------------------------------------------------------------------------
# ask --jsonl FILE


JSONL_LINES = [
    (7, json.dumps({"id": 7, "question": "can ketamine cause bladder problems?"})),
    ({"a": 1}, json.dumps({"id": {"a": 1}, "question": "how long does that last?", "history": SIDE_EFFECTS_HISTORY})),
    (None, "this line is not JSON at all"),
    (None, json.dumps(["a", "JSON", "array"])),
    ("no-question", json.dumps({"id": "no-question"})),
    ("bad-history", json.dumps({"id": "bad-history", "question": "does insurance cover Spravato?", "history": "oops"})),
    ("q-last", json.dumps({"id": "q-last", "question": "does insurance cover Spravato?"})),
]
MALFORMED = {2, 3, 4, 5}  # 0-based positions of the lines that are not valid questions


@pytest.fixture(scope="module")
def jsonl_run(library, tmp_path_factory):
    corpus, index = library
    path = tmp_path_factory.mktemp("jsonl") / "questions.jsonl"
    path.write_text("\n".join(line for _, line in JSONL_LINES) + "\n", encoding="utf-8")
    done = run("-m", "assistant", "ask", "--index", str(index), "--jsonl", str(path))
    return done, corpus


def test_jsonl_answers_every_line_in_order_with_its_id(jsonl_run):
    done, _ = jsonl_run
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    objs = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert [o["id"] for o in objs] == [qid for qid, _ in JSONL_LINES]
    for obj in objs:
        assert_answer_object(obj)


def test_jsonl_valid_lines_still_answer_around_malformed_ones(jsonl_run):
    done, corpus = jsonl_run
    objs = [json.loads(line) for line in done.stdout.strip().splitlines()]
    first, follow_up, last = objs[0], objs[1], objs[-1]
    assert first["kind"] == "answer" and "risks/bladder-and-urinary-problems" in {c["doc_id"] for c in first["citations"]}
    assert last["kind"] == "answer" and "process/cost-and-insurance" in {c["doc_id"] for c in last["citations"]}
    for obj in (first, follow_up, last):
        assert_quotes_are_from_the_library(obj, corpus)


def test_jsonl_history_makes_a_follow_up_answerable(jsonl_run):
    done, _ = jsonl_run
    follow_up = json.loads(done.stdout.strip().splitlines()[1])
    assert follow_up["kind"] == "answer", follow_up["text"]
    assert "risks/common-side-effects" in {c["doc_id"] for c in follow_up["citations"]}


def test_jsonl_malformed_lines_get_a_polite_answer_line(jsonl_run):
    done, _ = jsonl_run
    objs = [json.loads(line) for line in done.stdout.strip().splitlines()]
    for i in MALFORMED:
        obj = objs[i]
        assert obj["kind"] in {"no_evidence", "refusal"}, obj
        assert obj["citations"] == []
        text = obj["text"].lower()
        assert len(text) > 20 and "error" not in text and "exception" not in text, obj["text"]
    # the lines that are not JSON objects are reported on stderr, with their line numbers
    for line_no in (3, 4):
        assert f":{line_no}:" in done.stderr, done.stderr


# ---------------------------------------------------------------------------------------------
# retrieve --jsonl FILE --k 3


def test_retrieve_returns_at_most_k_results_best_first(library, tmp_path):
    _, index = library
    path = tmp_path / "queries.jsonl"
    queries = [
        {"id": 1, "question": "can ketamine cause bladder problems?"},
        {"id": "two", "question": "how much does IV ketamine cost?"},
        {"id": [3], "question": "how long does that last?", "history": SIDE_EFFECTS_HISTORY},
        # raw retrieval applies no safety triage: a message triage would stop is still searched
        {"id": 4, "question": "I want to end my life; can ketamine help with suicidal thoughts?"},
    ]
    path.write_text("".join(json.dumps(q) + "\n" for q in queries), encoding="utf-8")
    done = run("-m", "assistant", "retrieve", "--index", str(index), "--jsonl", str(path), "--k", "3")
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    rows = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert [r["id"] for r in rows] == [q["id"] for q in queries]
    for row in rows:
        assert set(row) >= {"id", "results"}
        assert 1 <= len(row["results"]) <= 3
        for r in row["results"]:
            assert isinstance(r["doc_id"], str) and r["doc_id"] in DOCUMENTS
            assert isinstance(r["chunk_id"], str) and r["chunk_id"]
            assert isinstance(r["score"], float)
        scores = [r["score"] for r in row["results"]]
        assert scores == sorted(scores, reverse=True)
        assert len({r["chunk_id"] for r in row["results"]}) == len(row["results"])
    assert rows[0]["results"][0]["doc_id"] == "risks/bladder-and-urinary-problems"
    assert rows[1]["results"][0]["doc_id"] == "process/cost-and-insurance"
    assert "risks/common-side-effects" in {r["doc_id"] for r in rows[2]["results"]}


# ---------------------------------------------------------------------------------------------
# no index


@pytest.mark.parametrize("command", ["ask", "retrieve"])
def test_a_missing_index_exits_2_with_a_clear_message(tmp_path, command):
    missing = tmp_path / "no-index-here"
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": 1, "question": "what is ketamine?"}) + "\n", encoding="utf-8")
    args = ["--jsonl", str(questions)] if command == "retrieve" else ["what is ketamine?"]
    done = run("-m", "assistant", command, "--index", str(missing), *args)
    assert done.returncode == 2
    no_traceback(done)
    assert done.stdout.strip() == ""
    assert str(missing) in done.stderr and "index" in done.stderr.lower()
    assert "python -m ingest" in done.stderr  # says how to build one
