"""python -m assistant ask|retrieve   (CONTRACT §3 and §4)"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from assistant.types import Question


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask the library, or search it.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question, or a JSONL file of questions")
    ask.add_argument("--index", type=Path, default=None, help="index folder (default: data/index)")
    ask.add_argument("--jsonl", type=Path, default=None, help="read {id, question, history} lines; '-' for stdin")
    ask.add_argument("question", nargs="?", default=None)
    retrieve = sub.add_parser("retrieve", help="raw retrieval, no triage")
    retrieve.add_argument("--index", type=Path, default=None)
    retrieve.add_argument("--jsonl", type=Path, required=True)
    retrieve.add_argument("--k", type=int, default=10)
    args = parser.parse_args(argv)

    if args.command == "ask" and (args.jsonl is None) == (args.question is None):
        parser.error("ask takes either a QUESTION or --jsonl FILE")

    from library.manifest import IndexNotFound
    from library.settings import Settings

    settings = Settings()
    try:
        pipeline = _load(settings, args.index, with_triage=args.command == "ask")
    except IndexNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.command == "ask" and args.question is not None:
        answer = pipeline.ask(Question(text=args.question))
        print(json.dumps(answer.contract_json(), ensure_ascii=False))
        return 0

    out = sys.stdout
    for line in _read_jsonl(args.jsonl):
        question, qid = line.question, line.id
        if line.problem:  # a line that is not a question: say so on stderr, answer it in order
            print(f"{args.jsonl}:{line.number}: {line.problem}", file=sys.stderr)
        if args.command == "ask":
            answer = pipeline.ask(question) if question else _malformed(pipeline, line.problem)
            answer.id = qid
            out.write(_dumps(answer.contract_json()) + "\n")
        else:
            record: dict[str, Any] = {"id": qid, "results": []}
            if question:
                try:
                    passages = pipeline.retrieve(question, k=args.k)
                    record["results"] = [{"doc_id": p.doc_id, "chunk_id": p.chunk_id, "score": round(p.score, 6)} for p in passages]
                except Exception as exc:  # noqa: BLE001 - one line's failure must not end the batch
                    record["error"] = f"could not search for this line ({exc.__class__.__name__})"
                    print(f"{args.jsonl}:{line.number}: {record['error']}", file=sys.stderr)
            else:
                record["error"] = line.problem
            out.write(_dumps(record) + "\n")
        out.flush()
    return 0


def _dumps(value: Any) -> str:
    """JSON that any reader accepts: an id carrying a lone surrogate is written escaped, not as invalid UTF-8."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")


def _load(settings, index: Path | None, with_triage: bool):
    from assistant.pipeline import Pipeline

    if with_triage:
        return Pipeline.load(settings, index)

    class _NoTriage:  # retrieve applies no safety triage (CONTRACT §4)
        def classify(self, question):  # pragma: no cover - never called by retrieve
            raise AssertionError("retrieve does not triage")

    return Pipeline.load(settings, index, triage=_NoTriage())


@dataclass
class _Line:
    number: int
    id: Any
    question: Question | None  # None when the line is not a valid question
    problem: str = ""


MAX_LINE_CHARS = 1_000_000
"""A line longer than this is not read whole: it is reported, and the batch goes on."""


def _lines(stream) -> Iterator[tuple[int, str | None]]:
    """(number, text) of each line, bounded: a line past MAX_LINE_CHARS is (number, None)."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_CHARS + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_CHARS and not raw.endswith("\n"):
            while True:  # skip the rest of it, a bounded piece at a time
                rest = stream.readline(MAX_LINE_CHARS)
                if not rest or rest.endswith("\n"):
                    break
            yield number, None
            continue
        yield number, raw


def _read_jsonl(path: Path) -> Iterator[_Line]:
    stream = sys.stdin if str(path) == "-" else open(path, encoding="utf-8", errors="replace")
    with stream:
        for number, raw in _lines(stream):
            if raw is None:
                yield _Line(number, None, None, f"not a valid question line (longer than {MAX_LINE_CHARS:,} characters)")
                continue
            if not raw.strip():
                continue
            try:
                data: Any = json.loads(raw)
            except (ValueError, RecursionError) as exc:
                reason = "nested too deeply" if isinstance(exc, RecursionError) else f"not JSON: {exc}"
                yield _Line(number, None, None, f"not a valid question line ({reason})")
                continue
            qid = data.get("id") if isinstance(data, dict) else None
            try:
                if not isinstance(data, dict):
                    raise ValueError("each line must be a JSON object")
                question = Question(id=qid, text=_as_text(data.get("question")), history=data.get("history") or [])
            except (ValueError, ValidationError, RecursionError) as exc:
                yield _Line(number, qid, None, f"not a valid question line ({str(exc).splitlines()[0][:200]})")
                continue
            yield _Line(number, qid, question)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _malformed(pipeline, problem: str = ""):
    from assistant.messages import render
    from assistant.types import Answer

    # timings_ms.total is part of the answer object (CONTRACT §3), even when nothing was asked
    return Answer(kind="no_evidence", text=render("empty_input", pipeline.settings.clinic), timings_ms={"total": 0.0}, error=problem or None)


if __name__ == "__main__":
    sys.exit(main())
