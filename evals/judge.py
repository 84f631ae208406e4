"""Optional LLM-judge mode: a chat model grades answer relevance and faithfulness (off by default).

The judge uses the same chat model the assistant is configured with (``ASSISTANT_LLM__PROVIDER`` and
friends; see library/settings.py), reached through ``assistant.compose.llm``, so nothing here imports
a LangChain chat model. With no chat model configured, ``load_judge`` raises ``JudgeUnavailable``
with a message for the person running the evals; the run stops before asking anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from library.settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"


class JudgeUnavailable(RuntimeError):
    """No chat model is configured, or it cannot be built."""


class LLMJudge:
    """Scores one answer: ``score(question, answer_text, quotes) -> {"relevance", "faithfulness", ...}``.

    Scores are mapped from the model's 1..5 onto 0..1. A reply that cannot be read is recorded as
    an error, never guessed.
    """

    def __init__(self, chat_model: Any):
        self.chat_model = chat_model
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, autoescape=False)
        self.system = (TEMPLATES / "judge_system.md").read_text(encoding="utf-8")
        self.template = env.get_template("judge.md.j2")

    def score(self, question: str, answer: str, quotes: Sequence[str]) -> dict[str, Any]:
        prompt = self.template.render(question=question, answer=answer, quotes=list(quotes))
        try:
            reply = self.chat_model.invoke([("system", self.system), ("human", prompt)])
        except Exception as exc:  # a failing model is recorded, and the run goes on
            return {"relevance": None, "faithfulness": None, "error": f"chat model failed: {exc.__class__.__name__}"}
        return parse_verdict(_text_of(reply))


def parse_verdict(raw: str) -> dict[str, Any]:
    match = re.search(r"\{.*\}", raw, re.S)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        return {"relevance": None, "faithfulness": None, "error": "unreadable reply", "raw": raw[:300]}
    out: dict[str, Any] = {"reason": str(data.get("reason", ""))[:300]}
    for key in ("relevance", "faithfulness"):
        value = data.get(key)
        if isinstance(value, (int, float)) and 1 <= value <= 5:
            out[key] = (float(value) - 1) / 4
        else:
            out[key] = None
            out["error"] = f"{key} missing or out of range"
    return out


def load_judge(settings: Settings, pipeline: Any | None = None, chat_model: Any | None = None) -> LLMJudge:
    """A judge on the assistant's chat model: the one its composer holds, else one built from settings."""
    model = chat_model
    if model is None and pipeline is not None:
        model = getattr(getattr(pipeline, "composer", None), "chat_model", None)
    if model is None:
        if not settings.llm.provider:
            raise JudgeUnavailable(
                "the LLM judge needs a chat model, and none is configured: set ASSISTANT_LLM__PROVIDER and "
                "ASSISTANT_LLM__MODEL (and ASSISTANT_LLM__BASE_URL for a local OpenAI-compatible server), "
                "or run without --judge"
            )
        try:
            from assistant.compose.llm import make_chat_model
        except ImportError as exc:
            raise JudgeUnavailable(f"the chat-model adapter (assistant.compose.llm) is not available: {exc}") from exc
        try:
            model = make_chat_model(settings)
        except Exception as exc:  # a missing provider package or bad settings: say so, plainly
            raise JudgeUnavailable(f"cannot build the chat model {settings.llm.provider}:{settings.llm.model}: {exc}") from exc
    return LLMJudge(model)


def _text_of(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        return " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)
