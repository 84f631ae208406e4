"""Documents as they come from a website: text pasted from a browser, or a page's HTML.

Three things make such a page a library document:

- **Headings.** A short line with no final full stop, standing alone and followed by body text,
  is a section heading; it becomes ``## Heading``, so chunks carry it as their section and the
  composer never quotes it as a sentence.
- **Lists.** Lines that start with a bullet, and runs of short lines between paragraphs, become
  ``- item`` lines.
- **Page furniture.** Navigation, bylines, share and subscribe prompts, cookie notices, "back to
  top", related posts and footers are dropped, and ingest warns which lines went. A line is furniture
  when it has the shape of one (``FURNITURE``), or when the same short line stands near the top or
  the bottom of several documents of the library (a site's header and footer repeat; its content
  does not).

The result is the document's text: chunk offsets and quotes point into it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 110
EDGE_LINES = 25
"""Lines from the top and the bottom of a page where a site's header and footer live."""

_BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙●○■□–—*+-]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!,;:]['\"”’)\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?]['\"”’)\]]*\s*$")

FURNITURE = re.compile(
    r"""^(?:
      skip\ to\ (?:main\ )?content | back\ to\ (?:top|blog|all\ posts|articles) | (?:scroll|return)\ to\ top |
      share(?:\ this)?(?:\ (?:post|page|article|story))?:?(?:\s+(?:on\s+)?(?:facebook|twitter|x|linkedin|pinterest|email|whatsapp|reddit|copy\ link)\b.*)? | share\ on\ \w+ |
      (?:(?:share|print|email|save|download)(?:\ this)?(?:\ (?:page|post|article|story))?(?:\s+|$)){1,4}(?:text\ size.*)? |
      (?:accept|reject|decline|manage|allow)(?:\ all)?(?:\ (?:non-essential|cookies|preferences|settings))? | ok(?:ay)? | got\ it |
      (?:←|‹|«)?\s*back\ to\ \w+(?:\ \w+)? | pay\ (?:a|my|your)\ bill | careers | donate | email\ this(?:\ page)? | text\ size\b.* | (?:a\s+){2,}a |
      (?:(?:facebook|twitter|x|linkedin|pinterest|instagram|youtube|tiktok|email|whatsapp|reddit|copy\ link)[\s,|/•·]*){2,} |
      subscribe(?:\ to\ (?:our|the)\ \w+)?.* | sign\ up\ for\ (?:our\ )?(?:newsletter|updates|emails).* | join\ our\ (?:newsletter|mailing\ list).* |
      (?:related|recent|popular|more|latest)\ (?:posts|articles|stories|reading|resources)\b.* | you\ (?:may|might)\ also\ like.* | read\ more.* | continue\ reading.* |
      (?:previous|next|older|newer)\ (?:post|article|entry)\b.* | tags?:.* | categor(?:y|ies):.* | filed\ under.* | posted\ in.* |
      (?:leave\ a|add\ a|\d+)\ comments?\b.* | was\ this\ (?:page|article|information)\ (?:helpful|useful)\b.* | (?:yes|no)(?:\s*[|/]\s*(?:yes|no))? |
      .*\bcookies?\b.*(?:accept|agree|consent|policy|settings|preferences|experience|continu).* | (?:accept|reject|decline)(?:\ all)?(?:\ cookies)? | cookie\ (?:settings|preferences|policy) |
      (?:©|\(c\)|copyright)\s.* | .*\ball\ rights\ reserved\b.* | (?:privacy\ policy|terms(?:\ of\ (?:use|service))?|sitemap|accessibility)(?:\s*[|•·]\s*.*)? |
      (?:by|written\ by|author:?|posted\ by)\s+[A-Z][\w.'-]+(?:\s+[\w.,'-]+){0,6}(?:\s*[|•·,–-]\s*.*)? |
      (?:medically\ )?reviewed\ by\b.* | (?:last\ )?(?:updated|published|modified)(?:\ on)?:?\s+.* |
      \d+\ min(?:ute)?s?\ read | .*\|\s*\d+\ min(?:ute)?s?\ read.* |
      (?:book|schedule|request)\ (?:a|an|your)\ (?:consultation|appointment|visit|call)(?:\ today)? | call\ (?:us\ )?(?:today|now)\b.* | contact\ us | menu | search | home | (?:\w+\s+)?(?:sign|log)\ (?:in|up|out) | my\ account | patient\ portal | english | español |
      (?:\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}) |
      (?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+\d{4} |
      \d{1,2}/\d{1,2}/\d{2,4}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_NAV = re.compile(r"^(?:[^|>›»/]{1,30}\s*(?:\||›|»|>|/)\s*){2,}[^|>›»/]{1,30}$|^[^|>›»/.!?]{1,30}\s*(?:›|»|>)\s*[^|>›»/.!?]{1,50}$")
"""'Home | About | Services | Contact', 'Home > Services > TMS': three or more short items and separators."""


@dataclass
class Structured:
    text: str
    dropped: list[str] = field(default_factory=list)
    headings: int = 0


def site_furniture(pages: Iterable[str], min_share: float = 0.3) -> frozenset[str]:
    """Short lines near the top or bottom of at least two pages (and ``min_share`` of them)."""
    pages = list(pages)
    if len(pages) < 2:
        return frozenset()
    seen: Counter[str] = Counter()
    for text in pages:
        lines = [_key(line) for line in text.splitlines() if line.strip()]
        edges = set(lines[:EDGE_LINES] + lines[-EDGE_LINES:])
        seen.update(k for k in edges if k and len(k.split()) <= 12)
    needed = max(2, int(min_share * len(pages) + 0.999))
    return frozenset(k for k, n in seen.items() if n >= needed)


_STOPWORDS = frozenset("a an the and or of to in on for with at by from is are be your our you we it this that what how why when".split())
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$|^[-+=|\s]{6,}$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_run(lines: Sequence[str], start: int) -> int:
    """The end (exclusive) of a text table starting at ``start``, or ``start`` when there is none:
    three or more rows of cells split by '|', or two with a rule of dashes."""
    end = start
    while end < len(lines) and lines[end] and ("|" in lines[end] or _TABLE_RULE.match(lines[end])):
        end += 1
    rows = end - start
    has_rule = any(_TABLE_RULE.match(lines[j]) for j in range(start, end))
    return end if rows >= 3 or (rows >= 2 and has_rule) else start


def _table_items(rows: Sequence[str]) -> list[str]:
    """A text table as list items a reader (and a quote) can stand on: 'Row: header, cell; ...'."""
    body = [r for r in rows if not _TABLE_RULE.match(r)]
    header = _cells(body[0]) if body else []
    items = []
    for row in body[1:]:
        cells = _cells(row)
        if not any(cells):
            continue
        parts = [f"{h.lower()}, {c}" if h else c for h, c in zip(header[1:], cells[1:]) if c]
        items.append(f"- {cells[0]}: {'; '.join(parts)}." if parts else f"- {cells[0]}.")
    return items


def _bare_nav(line: str, index: int, total: int) -> bool:
    """'Services Conditions Providers Locations': capitalised words, no small words, near an edge."""
    words = line.split()
    near_edge = index < EDGE_LINES or index >= total - EDGE_LINES
    return near_edge and len(words) >= 3 and all(w[:1].isupper() or not w[:1].isalpha() for w in words) and not any(w.casefold() in _STOPWORDS for w in words)


def structure(text: str, title: str = "", repeated: frozenset[str] = frozenset()) -> Structured:
    """Plain text (or text with Markdown headings, from HTML) as a structured document."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [" ".join(line.split()) for line in raw_lines]
    title_key = _key(title)
    out: list[str] = []
    dropped: list[str] = []
    headings = 0
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if not line:
            out.append("")
            i += 1
            continue
        table_end = _table_run(lines, i)
        if table_end > i:
            out.extend(["", *_table_items(lines[i:table_end]), ""])
            i = table_end
            continue
        key = _key(line)
        markdown_heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        bare = markdown_heading.group(2) if markdown_heading else line
        if _is_furniture(bare, key, repeated):
            dropped.append(bare)
            i += 1
            continue
        if title_key and _key(bare) == title_key:
            dropped.append(bare)  # the page's own title: it is the document's title already
            i += 1
            continue
        if markdown_heading:
            out.append(f"{markdown_heading.group(1)} {bare}")
            headings += 1
            i += 1
            continue
        if _BULLET.match(line):
            out.append("- " + _BULLET.sub("", line, count=1))
            i += 1
            continue
        if _is_short(line):
            run_end = i
            while run_end + 1 < n and lines[run_end + 1] and _is_short(lines[run_end + 1]) and not _BULLET.match(lines[run_end + 1]):
                run_end += 1
            following = _next_text(lines, run_end + 1)
            if run_end == i and not _starts_body(following) and _bare_nav(line, i, n):
                dropped.append(line)
            elif run_end == i and _starts_body(following) and _looks_like_heading(line):
                out.extend(["", f"## {line}", ""])
                headings += 1
            elif run_end > i and _is_list_run(lines[i : run_end + 1], lines, i):
                out.extend(f"- {item}" for item in lines[i : run_end + 1] if not _is_furniture(item, _key(item), repeated))
            else:
                for j in range(i, run_end + 1):
                    if _bare_nav(lines[j], j, n) or _is_furniture(lines[j], _key(lines[j]), repeated):
                        dropped.append(lines[j])
                    else:
                        out.append(lines[j])
            i = run_end + 1
            continue
        out.append(line)
        i += 1
    out = _trim_edges(out, dropped)
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return Structured(_separate_blocks(cleaned) + "\n", dropped, headings)


# ------------------------------------------------------------------------------ helpers


def _key(line: str) -> str:
    return re.sub(r"[^\w]+", " ", line.casefold()).strip()


def _is_furniture(line: str, key: str, repeated: frozenset[str]) -> bool:
    if key in repeated:
        return True
    if len(line) > 200:
        return False
    return bool(FURNITURE.match(line) or (_NAV.match(line) and not _SENTENCE_END.search(line)))


def _is_short(line: str) -> bool:
    return len(line) <= MAX_HEADING_CHARS and len(line.split()) <= MAX_HEADING_WORDS and not _TERMINAL.search(line)


def _looks_like_heading(line: str) -> bool:
    first = line.lstrip("\"'“(")[:1]
    return bool(first) and (first.isupper() or first.isdigit()) and any(ch.isalpha() for ch in line)


def _starts_body(line: str | None) -> bool:
    """Body text: a sentence, or a longer line that ends like one."""
    return line is not None and (not _is_short(line) or bool(_SENTENCE_END.search(line))) and not _BULLET.match(line)


def _next_text(lines: Sequence[str], start: int) -> str | None:
    for line in lines[start : start + 3]:
        if line:
            return line
    return None


def _is_list_run(run: Sequence[str], lines: Sequence[str], start: int) -> bool:
    """Short lines in a row after a lead-in (a line ending in ':') or between paragraphs: a list."""
    before = next((lines[j] for j in range(start - 1, max(-1, start - 3), -1) if lines[j]), "")
    return before.rstrip().endswith(":") or len(run) >= 3


def _is_body(line: str) -> bool:
    return len(line.split()) >= 8 and bool(_SENTENCE_END.search(line)) and not line.startswith("#")


def _trim_edges(lines: list[str], dropped: list[str]) -> list[str]:
    """Before the first paragraph of body text and after the last one, only headings stay: what
    else sits there (menus, links, a subtitle, a footer) is the page around the article."""
    body = [i for i, line in enumerate(lines) if _is_body(line)]
    if not body:
        return lines
    first, last = body[0], body[-1]
    kept = []
    for i, line in enumerate(lines):
        outside = i < first or i > last
        sentence = bool(_SENTENCE_END.search(line)) and (i > last or len(line.split()) >= 5)
        if outside and line and not line.startswith("#") and not sentence:
            dropped.append(line.removeprefix("- "))
            continue
        kept.append(line)
    return kept


def _separate_blocks(text: str) -> str:
    """A blank line before and after each heading and list, so paragraphs and items stay apart."""
    out: list[str] = []
    previous = ""
    for line in text.split("\n"):
        is_item = line.startswith("- ")
        was_item = previous.startswith("- ")
        if line and previous and (line.startswith("#") or previous.startswith("#") or is_item != was_item):
            out.append("")
        elif line and previous and not is_item and not was_item:
            out.append("")  # every pasted line is its own paragraph
        out.append(line)
        previous = line
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))
