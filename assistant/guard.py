"""The input guard: whatever arrives, a clean plain-text message or a named problem, never an exception.

Markup is kept as inert text (the UI escapes it, and triage must see every word of it); what goes
is what cannot be read or could hide text from a reader: control characters, invisible format
characters such as zero-width joiners and bidirectional overrides, lone surrogates, unassigned code
points. Unicode is normalised (NFKC), so full-width or stylised letters read as plain ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

GuardProblem = Literal["empty", "unreadable", "too_long"]

HARD_CAP_CHARS = 100_000
"""The longest message read whole: crisis checks read every character of it. The app refuses bigger
requests before they reach here; of anything longer that does arrive (a CLI line), the beginning and
the end are kept, up to this many characters."""

_RAW_CAP_CHARS = HARD_CAP_CHARS * 2  # bounds the work done on absurd inputs before cleaning
_UNREADABLE_SHARE = 0.25  # above this share of undecodable or control characters, it is not text
_KEEP_CONTROLS = {"\n", "\t"}
_SPACES = re.compile(r" {2,}")
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\x0b": "\n", "\x0c": "\n"}


@dataclass(frozen=True)
class GuardResult:
    text: str
    """The cleaned message: plain text, NFKC-normalised, trimmed; at most HARD_CAP_CHARS."""
    problem: GuardProblem | None = None
    """None when the message can go on; otherwise why the person should be asked again."""
    original_chars: int = 0
    """Length of the input as received (after decoding), before cleaning and capping."""

    @property
    def ok(self) -> bool:
        return self.problem is None


def guard(raw: object, max_chars: int) -> GuardResult:
    """Clean one incoming message. Never raises, whatever ``raw`` is."""
    try:
        return _guard(raw, max_chars)
    except Exception:  # noqa: BLE001 - the guard's promise is that no input produces a stack trace
        return GuardResult(text="", problem="unreadable")


def _guard(raw: object, max_chars: int) -> GuardResult:
    text, undecodable = _as_text(raw)
    if text is None:
        return GuardResult(text="", problem="unreadable")
    original_chars = len(text)
    if not text.strip():
        return GuardResult(text="", problem="empty", original_chars=original_chars)

    sample = _head_and_tail(text, _RAW_CAP_CHARS)
    cleaned, dropped = _clean(sample)
    if not cleaned:
        return GuardResult(text="", problem="empty", original_chars=original_chars)
    bad = undecodable + dropped + cleaned.count("\ufffd")
    if bad > _UNREADABLE_SHARE * max(1, len(sample)):
        return GuardResult(text=_head_and_tail(cleaned, HARD_CAP_CHARS), problem="unreadable", original_chars=original_chars)
    if not any(ch.isalnum() for ch in cleaned):
        # Only punctuation, symbols or emoji: nothing to answer, so ask again kindly.
        return GuardResult(text=_head_and_tail(cleaned, HARD_CAP_CHARS), problem="unreadable", original_chars=original_chars)
    if len(cleaned) > max_chars or original_chars > len(sample):
        return GuardResult(text=_head_and_tail(cleaned, HARD_CAP_CHARS), problem="too_long", original_chars=original_chars)
    return GuardResult(text=cleaned, original_chars=original_chars)


def _head_and_tail(text: str, limit: int) -> str:
    """At most ``limit`` characters: the beginning and the end, where a long story usually puts
    what matters most (who is writing, and what they are really asking)."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return f"{text[:half]}\n…\n{text[-half:]}"


def _as_text(raw: object) -> tuple[str | None, int]:
    """The input as a str, and how many characters could not be decoded."""
    if raw is None:
        return "", 0
    if isinstance(raw, str):
        return str(raw), 0
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return _decode(bytes(raw[: _RAW_CAP_CHARS * 4]))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(raw), 0
    return None, 0  # lists, dicts, objects: not a message


def _decode(data: bytes) -> tuple[str, int]:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            return text, text.count("\ufffd")
    if _looks_like_utf16le(data):
        text = data.decode("utf-16-le", errors="replace")
        return text, text.count("\ufffd")
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        legacy = _legacy_western(data)
        if legacy is not None:
            return legacy, 0
        text = data.decode("utf-8", errors="replace")
        return text, text.count("\ufffd")


def _legacy_western(data: bytes) -> str | None:
    """Windows-1252 or Latin-1 text (old mail clients, Windows tools): mostly ASCII and printable,
    which random bytes are not."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    printable = sum(ch.isprintable() or ch in "\n\t\r" for ch in text)
    non_ascii = sum(ord(ch) > 127 for ch in text)
    if printable >= 0.97 * len(text) and non_ascii <= 0.3 * len(text):
        return text
    return None


def _looks_like_utf16le(data: bytes) -> bool:
    """UTF-16 without a byte-order mark, as some Windows tools write it: every other byte is zero."""
    if len(data) < 4 or len(data) % 2:
        return False
    odd = data[1::2]
    return odd.count(0) >= 0.9 * len(odd) and data[0::2].count(0) <= 0.1 * len(odd)


def _clean(text: str) -> tuple[str, int]:
    """NFKC text with only printable characters, newlines and tabs; and how many were dropped."""
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    text = _drop_surrogates(text)
    text = unicodedata.normalize("NFKC", text)
    kept: list[str] = []
    dropped = 0
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _KEEP_CONTROLS:
            kept.append(ch)
        elif category == "Cc":
            dropped += 1  # dropped, not spaced: "ki\x00ll" must still read as "kill"
        elif category in ("Cf", "Cs", "Co", "Cn"):
            dropped += category != "Cf"  # invisible format characters are common in pasted text
        elif category in ("Zs", "Zl", "Zp"):
            kept.append(" " if category == "Zs" else "\n")
        else:
            kept.append(ch)
    return _tidy_whitespace("".join(kept)), dropped


def _drop_surrogates(text: str) -> str:
    """Lone surrogates (from broken JSON, say) cannot be encoded anywhere downstream."""
    return text.encode("utf-8", errors="surrogatepass").decode("utf-8", errors="ignore") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _tidy_whitespace(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
    out: list[str] = []
    blank = 0
    for line in lines:
        blank = blank + 1 if not line else 0
        if blank <= 1:
            out.append(line)
    return "\n".join(out).strip()
