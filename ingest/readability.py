"""Reading grade of a library document (Flesch-Kincaid), measured offline.

Syllables come from Pyphen's US-English hyphenation dictionary (a packaged library). textstat,
the usual choice, downloads NLTK data on first use in its current releases, which this project
never does at run time.
"""

from __future__ import annotations

import re
from functools import lru_cache

from library.text import sentence_spans

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_HEADING = re.compile(r"(?m)^#{1,6} .*$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


@lru_cache(maxsize=1)
def _dictionary():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    word = word.lower()
    count = len(_dictionary().positions(word)) + 1
    # Pyphen never splits short words; count their vowel groups instead.
    if count == 1 and len(word) > 3:
        count = max(1, len(re.findall(r"[aeiouy]+", re.sub(r"e$", "", word))))
    return count


def prose(markdown_body: str) -> str:
    """The running text of a Markdown body: no headings, link targets or emphasis marks."""
    text = _HEADING.sub("", markdown_body)
    text = _LINK.sub(r"\1", text)
    return re.sub(r"[*_`>|]", "", text)


def flesch_kincaid_grade(text: str) -> float:
    n_sentences = len(sentence_spans(text)) or 1
    words = _WORD.findall(text)
    if not words:
        return 0.0
    n_syllables = sum(syllables(w) for w in words)
    return 0.39 * len(words) / n_sentences + 11.8 * n_syllables / len(words) - 15.59
