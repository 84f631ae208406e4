"""Real fake classes for fast tests: a deterministic embedder (and, for the LLM path, a scripted chat model)."""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from library.text import terms, words


class HashEmbedder:
    """Bag of stemmed words hashed into a fixed-size unit vector: deterministic and instant.

    Texts sharing content words get similar vectors, so retrieval tests mean something.
    """

    def __init__(self, dimension: int = 256, max_tokens: int = 256, name: str = "hash-embedder"):
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.name = name
        self.calls: list[int] = []  # batch sizes, so tests can assert what was (not) embedded

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text) or ["empty"]:
                h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimension] += 1.0 if (h >> 63) == 0 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out

    def count_tokens(self, text: str) -> int:
        return len(words(text)) + text.count(",") + text.count(".")

    @property
    def embedded(self) -> int:
        return sum(self.calls)


class ScriptedChatModel:
    """A chat model that follows a script and records every prompt it was sent.

    Replies are queued (``enqueue``) and used in order; a reply may be a string, an exception to raise,
    or a function of the prompt text (the last human message) returning a string. Only ``invoke`` is
    implemented: it is all the LLM composer uses of a LangChain chat model.
    """

    def __init__(self, *replies):
        self.replies: list = list(replies)
        self.prompts: list[list] = []  # the messages of each call, oldest first

    def enqueue(self, *replies) -> "ScriptedChatModel":
        self.replies.extend(replies)
        return self

    def invoke(self, messages, **kwargs):
        from langchain_core.messages import AIMessage

        self.prompts.append(list(messages))
        if not self.replies:
            raise AssertionError("ScriptedChatModel: no reply left in the script")
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            reply = reply(self.last_prompt)
        return AIMessage(content=reply)

    @property
    def last_prompt(self) -> str:
        """The text of the last human message sent."""
        return next(m.content for m in reversed(self.prompts[-1]) if m.type == "human")

    @property
    def last_system(self) -> str:
        return next(m.content for m in self.prompts[-1] if m.type == "system")
