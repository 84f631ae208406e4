"""The LLM composer: any LangChain chat model writes; the verifier decides what the patient sees.

This is the only module that imports a LangChain chat model. When the model fails, says it cannot
answer, or too little of what it wrote survives verification, the extractive answer is given
instead, and the composition records why.
"""

from __future__ import annotations

from typing import Callable

import logging
from pathlib import Path

import numpy as np
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.compose import Composition
from assistant.compose.citations import assemble
from assistant.compose.extractive import ExtractiveComposer
from assistant.compose.verify import Verifier
from assistant.types import Passage
from library.embedder import Embedder
from library.settings import Settings

log = logging.getLogger(__name__)
PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "llm"


def make_chat_model(settings: Settings):
    """A LangChain chat model from settings (OpenAI-compatible server, Ollama, or a hosted API)."""
    from langchain.chat_models import init_chat_model

    llm = settings.llm
    kwargs: dict = {"temperature": llm.temperature, "timeout": llm.timeout_s}
    if llm.base_url:
        kwargs["base_url"] = llm.base_url
    if llm.api_key is not None:
        kwargs["api_key"] = llm.api_key.get_secret_value()
    elif llm.provider == "openai" and llm.base_url:
        kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers ignore it
    return init_chat_model(llm.model, model_provider=llm.provider, **kwargs)


class LLMComposer:
    name = "llm"

    def __init__(
        self,
        chat_model,
        verifier: Verifier,
        fallback: ExtractiveComposer,
        min_sentences: int = 2,
        min_kept_share: float = 0.5,
    ):
        self.chat_model = chat_model
        self.verifier = verifier
        self.fallback = fallback
        self.min_sentences = min_sentences
        self.min_kept_share = min_kept_share
        env = Environment(loader=FileSystemLoader(str(PROMPTS)), undefined=StrictUndefined, autoescape=False)
        self.system = (PROMPTS / "system.md").read_text(encoding="utf-8")
        self.template = env.get_template("answer.md.j2")

    @classmethod
    def from_settings(
        cls, settings: Settings, embedder: Embedder, fallback: ExtractiveComposer, chat_model=None
    ) -> "LLMComposer":
        model = chat_model if chat_model is not None else make_chat_model(settings)
        return cls(model, Verifier(embedder.embed), fallback)

    def compose(
        self, question: str, passages: list[Passage], vector: np.ndarray, avoid: Callable[[str], bool] | None = None
    ) -> Composition | None:
        """``avoid``: sentences that must not reach the patient (as for the extractive composer)."""
        from langchain_core.messages import HumanMessage, SystemMessage

        prompt = self.template.render(passages=passages, question=question)
        try:
            reply = self.chat_model.invoke([SystemMessage(self.system), HumanMessage(prompt)])
            draft = _text_of(reply)
        except Exception as exc:  # an unreachable or failing model must not fail the answer
            log.warning("chat model failed: %s", exc.__class__.__name__)
            return self._fall_back(question, passages, vector, [f"chat model failed: {exc.__class__.__name__}"], avoid)
        if not draft.strip() or "NO_ANSWER" in draft:
            return self._fall_back(question, passages, vector, ["chat model found no answer in the passages"], avoid)
        verdicts = self.verifier.verify(draft, passages)
        avoided = [v for v in verdicts if v.supported and avoid and avoid(v.sentence)]
        kept = [v for v in verdicts if v.supported and v not in avoided]
        notes = [f"dropped: {v.sentence!r}: {'; '.join(v.reasons)}" for v in verdicts if not v.supported]
        notes += [f"dropped: {v.sentence!r}: not given with a refusal of personal advice" for v in avoided]
        if len(kept) < self.min_sentences or len(kept) < self.min_kept_share * len(verdicts):
            return self._fall_back(
                question, passages, vector, notes + [f"only {len(kept)} of {len(verdicts)} sentences were supported"], avoid
            )
        text, citations, sentences = assemble([v.claim for v in kept])
        return Composition(text=text, citations=citations, composer=self.name, notes=notes, sentences=sentences)

    def _fall_back(self, question, passages, vector, notes: list[str], avoid=None) -> Composition | None:
        composition = self.fallback.compose(question, passages, vector, avoid=avoid)
        if composition is not None:
            composition.notes = notes + ["answered extractively instead"]
        return composition


def _text_of(reply) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):  # some providers return content blocks
        return " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)
