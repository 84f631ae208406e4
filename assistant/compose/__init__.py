"""Composition: passages → a grounded answer draft. Two implementations behind one interface.

- ``extractive``: the default; no LLM, no network; quotes the library's own sentences.
- ``llm``: any LangChain chat model, its every sentence verified against the cited passages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from assistant.types import AnswerSentence, Citation, Passage


@dataclass
class Composition:
    text: str
    citations: list[Citation]
    composer: str
    notes: list[str] = field(default_factory=list)  # e.g. sentences the verifier dropped, and why
    sentences: list[AnswerSentence] = field(default_factory=list)


class Composer(Protocol):
    name: str

    def compose(self, question: str, passages: list[Passage], vector: np.ndarray) -> Composition | None:
        """A cited answer from ``passages``, or None when they hold nothing that answers."""
