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
            answer = pipeline.ask(question) if question else _malformed(pipeline)
            answer.id = qid
            out.write(json.dumps(answer.contract_json(), ensure_ascii=False) + "\n")
        else:
            passages = pipeline.retrieve(question, k=args.k) if question else []
            results = [{"doc_id": p.doc_id, "chunk_id": p.chunk_id, "score": round(p.score, 6)} for p in passages]
            out.write(json.dumps({"id": qid, "results": results}, ensure_ascii=False) + "\n")
        out.flush()
    return 0


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


def _read_jsonl(path: Path) -> Iterator[_Line]:
    stream = sys.stdin if str(path) == "-" else open(path, encoding="utf-8", errors="replace")
    with stream:
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            try:
                data: Any = json.loads(raw)
            except ValueError as exc:
                yield _Line(number, None, None, f"not a valid question line (not JSON: {exc})")
                continue
            qid = data.get("id") if isinstance(data, dict) else None
            try:
                if not isinstance(data, dict):
                    raise ValueError("each line must be a JSON object")
                question = Question(id=qid, text=_as_text(data.get("question")), history=data.get("history") or [])
            except (ValueError, ValidationError) as exc:
                yield _Line(number, qid, None, f"not a valid question line ({str(exc).splitlines()[0]})")
                continue
            yield _Line(number, qid, question)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _malformed(pipeline):
    from assistant.messages import render
    from assistant.types import Answer

    # timings_ms.total is part of the answer object (CONTRACT §3), even when nothing was asked
    return Answer(kind="no_evidence", text=render("empty_input", pipeline.settings.clinic), timings_ms={"total": 0.0})


if __name__ == "__main__":
    sys.exit(main())
