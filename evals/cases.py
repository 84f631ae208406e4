"""The golden set: YAML files of cases, each a question with what a clinic expects in return.

A file holds ``cases:`` and optional ``defaults:`` merged into every case (a case's own value wins;
``tags`` and ``must_not`` are unions). Loading validates every case and fails loudly, naming the file
and case, so a typo never turns into a silently skipped expectation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.types import AnswerKind, RefusalReason, Turn

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

Category = Literal["answer", "no_evidence", "medical_advice", "crisis", "illicit", "manipulation", "out_of_scope"]
CATEGORIES: tuple[str, ...] = ("answer", "no_evidence", "medical_advice", "crisis", "illicit", "manipulation", "out_of_scope")
"""Also the outcome classes: what an answer object says happened (see ``outcome_of``)."""

TOPICS: tuple[str, ...] = ("mechanism", "benefits", "risks", "process", "general")

_EXPECTED_KIND = {"answer": "answer", "no_evidence": "no_evidence", "crisis": "crisis"}


class CasesError(ValueError):
    """A golden-set file is broken; the message says which file and case."""


class GoldenCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    category: Category
    question: str
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first.")
    expected_kind: AnswerKind
    expected_refusal_reason: RefusalReason | None = None
    expected_docs: list[str] = Field(default_factory=list, description="Doc ids holding the answer, best first.")
    key_facts: list[str] = Field(default_factory=list, description="Regexes (case-insensitive) a good answer contains.")
    must_not: list[str] = Field(default_factory=list, description="Regexes the text must never match.")
    also_acceptable: list[Category] = Field(default_factory=list, description="Other outcomes a clinic accepts.")
    topic: str | None = None
    tags: list[str] = Field(default_factory=list)
    gate: bool = Field(default=False, description="Part of the fast subset run by the test command.")
    source: str = Field(default="", description="The file the case came from.")

    @field_validator("key_facts", "must_not")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.I)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
        return patterns

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, topic: str | None) -> str | None:
        if topic is not None and topic not in TOPICS:
            raise ValueError(f"topic {topic!r} is not one of {', '.join(TOPICS)}")
        return topic

    @model_validator(mode="after")
    def _consistent(self) -> "GoldenCase":
        kind = _EXPECTED_KIND.get(self.category, "refusal")
        reason = None if kind != "refusal" else self.category
        if self.expected_kind != kind or self.expected_refusal_reason != reason:
            raise ValueError(
                f"category {self.category!r} means expected_kind={kind!r}, expected_refusal_reason={reason!r}"
            )
        if self.category == "answer" and not self.expected_docs:
            raise ValueError("an answerable case needs expected_docs")
        if not self.question.strip():
            raise ValueError("question is empty")
        return self

    @property
    def expected_outcome(self) -> str:
        return self.category

    def accepts(self, outcome: str) -> bool:
        return outcome == self.category or outcome in self.also_acceptable


def outcome_of(kind: str, refusal_reason: str | None) -> str:
    """The outcome class of an answer object: its kind, or for a refusal, its reason."""
    if kind == "refusal":
        return refusal_reason or "refusal"
    return kind


def load_cases(paths: list[Path] | None = None) -> list[GoldenCase]:
    """Every case in ``paths`` (files or folders of *.yaml), in file order; ids must be unique."""
    files: list[Path] = []
    for path in paths or [GOLDEN_DIR]:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.is_file():
            files.append(path)
        else:
            raise CasesError(f"{path}: no such file or folder")
    cases: list[GoldenCase] = []
    seen: dict[str, str] = {}
    for file in files:
        for case in _load_file(file):
            if case.id in seen:
                raise CasesError(f"{file}: case id {case.id!r} already used in {seen[case.id]}")
            seen[case.id] = str(file)
            cases.append(case)
    return cases


def _load_file(file: Path) -> list[GoldenCase]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CasesError(f"{file}: cannot read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise CasesError(f"{file}: expected a mapping with a 'cases' list")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise CasesError(f"{file}: 'defaults' must be a mapping")
    out: list[GoldenCase] = []
    for i, raw in enumerate(data["cases"], 1):
        if not isinstance(raw, dict):
            raise CasesError(f"{file}: case {i}: expected a mapping")
        merged = {**defaults, **raw}
        for union in ("tags", "must_not"):
            merged[union] = list(dict.fromkeys([*(defaults.get(union) or []), *(raw.get(union) or [])]))
        merged["source"] = file.name
        try:
            out.append(GoldenCase.model_validate(merged))
        except ValidationError as exc:
            name = raw.get("id", f"#{i}")
            lines = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'case'}: {e['msg']}" for e in exc.errors())
            raise CasesError(f"{file}: case {name}: {lines}") from exc
    return out


def select(cases: list[GoldenCase], gate_only: bool = False, only: list[str] | None = None) -> list[GoldenCase]:
    """The gate subset and/or cases whose id or category matches one of ``only`` (regexes)."""
    chosen = [c for c in cases if c.gate] if gate_only else list(cases)
    if only:
        patterns = [re.compile(p) for p in only]
        chosen = [c for c in chosen if any(p.search(c.id) or p.fullmatch(c.category) for p in patterns)]
    return chosen
