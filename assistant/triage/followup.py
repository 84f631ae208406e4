"""The conversation around a message: the one follow-up detector, shared by triage and retrieval.

- ``is_acknowledgement``: "ok", "thanks!", "got it": a reply, not a question.
- ``after_crisis``: did the conversation just show crisis resources? Then an acknowledgement gets a
  short, warm reply that repeats them; any other message is triaged and answered as usual.
- ``needs_context``: does a short message lean on the question before it ("which one works
  faster?", "and for PTSD?")? A message that names its own subject ("does insurance cover it?",
  "could I get hooked on it?") stands alone: "it" means the library's subject unless the previous
  turn clearly set another.
- ``contextual_query``: the text retrieval searches with.
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.language import QUESTION_WORDS
from assistant.types import Turn
from library.settings import CrisisResource
from library.text import terms

ACKNOWLEDGEMENT = re.compile(
    r"^\W*(?:(?:hi|hello|hey|thanks|thank you|thank you so much|thanks a lot|many thanks|thx|ty|ok|okay|k|kk|cool|"
    r"great|got it|bye|goodbye|good (?:morning|afternoon|evening)|alright|all right|sure|yes|yeah|yep|no|nope|fine|"
    r"i will|i'?ll try|will do|i understand|understood|noted|i see|appreciate it|that helps|sounds good)"
    r"(?:\s+(?:there|again|so much|a lot|you|for (?:that|this|the help|your help|helping|listening)))*\W*)+$",
    re.IGNORECASE,
)
"""A message that is nothing but a greeting, thanks or a short acknowledgement."""

_THANKS = re.compile(
    r"\b(?:thanks|thank you|thx|ty|ok|okay|alright|got it|will do|i will|i'?ll (?:call|text|try|do that)|i'?m (?:calling|texting|talking to)|appreciate"
    # the same replies in the languages the crisis message is written in, and a few more
    r"|gracias|vale|de acuerdo|voy a (?:llamar|escribir|hablar)|lo har[ée]|estoy llamando|merci|d'accord|je vais (?:appeler|essayer)|j'appelle"
    r"|obrigad[oa]|vou (?:ligar|tentar)|danke|ich (?:rufe|werde) (?:an|anrufen)|grazie|va bene|chiamo|dank je|bedankt|dzi[eę]kuj[eę]"
    r"|спасибо|хорошо|позвоню|cảm ơn|salamat|shukran|arigato|gomawo|kamsahamnida)\b"
    r"|谢谢|謝謝|好的|ありがとう|감사합니다|고마워|شكرا|धन्यवाद",
    re.IGNORECASE,
)


ABOUT_THE_ASSISTANT = re.compile(
    r"^\W*(?:(?:hi|hello|hey|so|ok|okay)\W+)?(?:"
    r"what (?:can|do|could|will|should) (?:you|this (?:assistant|bot|chat(?:bot)?|tool|service|thing)|the (?:assistant|bot|chat(?:bot)?))(?: \w+)?(?: (?:help|do|answer|tell))?(?: (?:me|us|people|patients))?(?: (?:with|about|for))?"
    r"|(?:who|what) (?:are you|is this(?: (?:assistant|bot|chat(?:bot)?|tool|thing))?)"
    r"|how (?:does|do) (?:this|you) (?:assistant |bot |chat(?:bot)? |tool )?work"
    r"|(?:what|which) (?:kind of |sort of |type of )?(?:questions|things|topics) (?:can|do|could|should) (?:i|you) (?:ask|answer|help with)(?: (?:you|here|about))?"
    r")\W*$",
    re.IGNORECASE,
)
"""A question about the assistant itself ("what can you help me with?"): answered with what it
can do, not looked up as a question about treatment."""


def is_about_the_assistant(text: str) -> bool:
    return len(text) <= 120 and bool(ABOUT_THE_ASSISTANT.match(text))


def is_reply_to_help(text: str) -> bool:
    """After a crisis answer: a short reply that thanks, agrees or says what the person is doing
    about it ("ok. thank you for staying with me", "I'm talking to them now, thanks")."""
    return len(text.split()) <= 14 and "?" not in text and bool(_THANKS.search(text))


# The short, pointing words of a message that leans on what came before.
_LEANS_BACK = re.compile(
    r"^\s*(?:and|but|so|also|then|what about|how about|same|even|or)\b|"
    r"\b(?:which one|which of (?:them|those|these|the two)|that one|this one|the other one|the first one|the second one|"
    r"those|these|either of|both of (?:them|those)|the two|compared to that|than that|instead)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(?:it|its|it's|that|this|they|them|there)\b", re.IGNORECASE)
_COMPARATIVE_ALONE = re.compile(r"\b(?:faster|slower|better|worse|safer|cheaper|longer|shorter|stronger|more effective)\s*\??\s*$", re.IGNORECASE)


def is_acknowledgement(text: str) -> bool:
    return bool(ACKNOWLEDGEMENT.match(text)) and len(text) <= 80


def last_user_text(history: Sequence[Turn]) -> str:
    return next((t.content for t in reversed(history) if t.role == "user" and t.content.strip()), "")


def after_crisis(history: Sequence[Turn], resources: Sequence[CrisisResource]) -> bool:
    """Did the assistant's last reply show crisis resources? Its name, its wording, or its number
    (988, 911: however the reply put it, an app in front of this one included)."""
    last_assistant = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    if not last_assistant:
        return False
    numbers = {n for r in resources for n in re.findall(r"\b\d{3,}\b", f"{r.how} {r.name}")}
    return any((r.name and r.name in last_assistant) or (r.how and r.how in last_assistant) for r in resources) or any(
        re.search(rf"\b{n}\b", last_assistant) for n in numbers
    )


def needs_context(text: str, history: Sequence[Turn]) -> bool:
    """A short message that cannot be understood without the question before it."""
    if not last_user_text(history):
        return False
    key = [t for t in terms(text) if t not in QUESTION_WORDS]
    if not key:
        return True  # "how long does that last?", "why?": nothing of its own to search with
    n = len(terms(text))
    return n <= 6 and bool(_LEANS_BACK.search(text) or _COMPARATIVE_ALONE.search(text))


def refers_back(text: str) -> bool:
    """The message says "it", "that" or "they": it may mean the previous question's subject."""
    return bool(_PRONOUN.search(text))


def contextual_query(text: str, history: Sequence[Turn]) -> str:
    """The text to search with: a message that leans on the previous question borrows it."""
    if needs_context(text, history):
        return f"{last_user_text(history)}\n{text}"
    return text
