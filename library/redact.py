"""Take out what identifies a person before a question or a comment is stored.

Redacted: e-mail addresses, phone numbers, dates (a date of birth is a date), and names that people
introduce ("my name is Ana", "I'm Ana", "this is Ana", "call me Ana"). Deliberately greedy: a
question loses nothing that the library could answer when a date or a name goes.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[phone]"
DATE = "[date]"
NAME = "[name]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATES = [
    re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"),  # 1985-03-02
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"),  # 03/02/1985, 2.3.85
    re.compile(rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}\b", re.I),  # March 2nd, 1985
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{2,4}}\b", re.I),  # 2 March 1985
    re.compile(rf"\b(?:born|birthday|dob|d\.o\.b\.?|date of birth)\b[^.?!\n]{{0,20}}?\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}|(?:in\s+)?(?:19|20)\d{{2}})\b", re.I),
]
# Seven or more digits, with the usual separators: +1 (555) 123-4567, 555 123 4567, 07700900123.
_PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\d(?:[\s().-]{0,3}\d){6,14}(?![\w])")

_NAME_WORD = r"[A-Z][a-zA-Z'’-]+"
# After "my name is" the next word is a name whatever its case.
_NAME_INTRO = re.compile(
    r"\b(?P<intro>(?i:(?:my|our|his|her|their) (?:first |last |full |sur)?name(?:'s| is| was|:)))"
    r"\s+(?P<name>[\w'’-]+(?:\s+[\w'’-]+){0,2})"
)
# "this is Ana", "call me Ana": only a capitalised word counts as a name.
_CAPITALISED_INTRO = re.compile(
    rf"\b(?P<intro>(?i:this is|call me|(?:i am|i'm|i’m|im) called|signed|regards,?))\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)
# "I'm Ana" / "I am Ana Lopez": only a capitalised word that is not an ordinary word of a sentence.
_I_AM = re.compile(rf"\b(?P<intro>I am|I'm|I’m|Im)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")
_NOT_NAMES = {
    "a", "an", "the", "not", "so", "very", "really", "just", "still", "also", "always", "currently", "now",
    "on", "in", "at", "taking", "going", "getting", "having", "being", "feeling", "worried", "scared", "afraid",
    "anxious", "nervous", "pregnant", "breastfeeding", "curious", "wondering", "thinking", "interested",
    "considering", "planning", "trying", "looking", "asking", "new", "old", "over", "under", "about", "here",
    "ok", "okay", "fine", "sure", "sorry", "confused", "depressed", "bipolar", "diabetic", "allergic", "male",
    "female", "married", "single", "unsure", "ready", "tired", "sad", "happy", "glad", "told", "due",
    "booked", "scheduled", "prescribed", "diagnosed", "starting", "done", "finished", "struggling", "suicidal",
    "english", "american", "canadian", "british", "spanish", "i",
}


def redact(text: str | None) -> str | None:
    """``text`` with e-mail addresses, phone numbers, dates and introduced names replaced."""
    if text is None:
        return None
    out = _EMAIL.sub(EMAIL, text)
    for pattern in _DATES:
        out = pattern.sub(DATE, out)
    out = _PHONE.sub(_phone, out)
    out = _NAME_INTRO.sub(_introduced_name, out)
    out = _CAPITALISED_INTRO.sub(_introduced_name, out)
    out = _I_AM.sub(_i_am_name, out)
    return out


def _phone(m: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in m.group(0))
    return PHONE if digits >= 7 else m.group(0)


_FUNCTION_WORDS = {
    "and", "but", "or", "i", "im", "i'm", "i’m", "from", "with", "is", "am", "was", "my", "the", "a", "an",
    "what", "how", "can", "could", "do", "does", "please", "thanks", "thank", "to", "of", "in", "on", "so",
    "also", "if", "is", "are", "would", "will", "should", "who", "when", "why", "where", "which", "it",
}


def _introduced_name(m: re.Match[str]) -> str:
    words = m.group("name").split()
    if not words or words[0].lower() in _NOT_NAMES:
        return m.group(0)
    kept = 1  # the first word after the introduction is the name, whatever its case
    while kept < len(words) and words[kept].lower().strip(",.;:!?") not in _FUNCTION_WORDS | _NOT_NAMES:
        kept += 1
    rest = m.group("name").split(None, kept)[kept] if kept < len(words) else ""
    tail = m.group("name")[len(m.group("name")) - len(rest) :] if rest else ""
    trailing = "".join(ch for ch in words[kept - 1] if ch in ",.;:!?") if not tail else ""
    return f"{m.group('intro')} {NAME}{trailing}{' ' + tail if tail else ''}"


def _i_am_name(m: re.Match[str]) -> str:
    words = m.group("name").split()
    kept = []
    for word in words:
        if word.lower().strip("'’") in _NOT_NAMES:
            break
        kept.append(word)
    if not kept:
        return m.group(0)
    rest = m.group("name")[len(" ".join(kept)) :]
    return f"{m.group('intro')} {NAME}{rest}"


_PLACEHOLDER = re.compile(r"\[(?:email|phone|date|name)\]")


def without_identifiers(text: str) -> str:
    """``text`` with identifying details removed outright: what retrieval should search with.

    A name or a phone number is never what a patient asks about, but its words would count against
    the question when the assistant judges whether the library covers it.
    """
    return " ".join(_PLACEHOLDER.sub(" ", redact(text) or "").split())
