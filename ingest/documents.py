"""Library documents: the front-matter model, the loaders, and every problem reported at once.

A problem is reported as ``PATH:LINE: FIELD: message`` so staff can jump straight to it.
Supported: Markdown with YAML front matter; plain text, HTML and PDF with a ``NAME.meta.yaml``
sidecar that carries the same fields.
"""

from __future__ import annotations

import errno
import hashlib
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

TOPICS = ("mechanism", "benefits", "risks", "process", "general")
TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
SIDECAR_SUFFIX = ".meta.yaml"


def _strict_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    raise ValueError(f"must be a date written YYYY-MM-DD, got {value!r}")


StrictDate = Annotated[date, BeforeValidator(_strict_date)]


class FrontMatter(BaseModel):
    """The fields of CONTRACT §2. Unknown fields are kept as metadata."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    # Where the fields were written (front matter or sidecar), so later checks can point at them.
    _origin: str = PrivateAttr(default="")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    title: str = Field(min_length=1)
    topic: Literal["mechanism", "benefits", "risks", "process", "general"]
    status: Literal["draft", "approved", "retired"]
    reviewed_by: str | None = None
    reviewed_on: StrictDate | None = None
    sources: list[str] = Field(default_factory=list)
    review_due: StrictDate | None = None
    id: str | None = None
    url: str | None = None

    @field_validator("sources", mode="before")
    @classmethod
    def _sources_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            raise ValueError("must be a list of references, one per line starting with '- '")
        return value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", value):
            raise ValueError("may hold only letters, digits, '.', '_', '-' and '/'")
        return value

    @field_validator("url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://\S+$", value):
            raise ValueError("must be a web address starting with http:// or https://")
        return value

    @property
    def extra(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    def where(self, name: str) -> tuple[str, int]:
        """The file and line where field ``name`` was written (line 1 when it was not)."""
        return self._origin, self._lines.get(name, 1)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class SourceDocument:
    """A loaded, valid document. ``text`` is what chunk offsets point into."""

    doc_id: str
    path: str  # relative to the corpus folder, with forward slashes
    format: str
    meta: FrontMatter
    text: str
    body_start: int

    @property
    def content_hash(self) -> str:
        meta = self.meta.model_dump_json()
        return hashlib.sha256((meta + "\0" + self.text).encode("utf-8")).hexdigest()[:16]


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class LoadResult:
    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class UnreadableFile(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# ---------------------------------------------------------------------------------------------
# front matter


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader, except that an impossible date ('2026-13-45') stays text, so the field check
    reports it on its own line instead of the whole load failing with a ValueError."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_YAML_DEPTH = 10
MAX_TITLE_CHARS = 300


class _Refused(Exception):
    """Front matter this loader will not build: aliases, deep nesting."""

    def __init__(self, reason: str, line: int):
        super().__init__(reason)
        self.reason, self.line = reason, line


class _StrictComposer(yaml.SafeLoader):
    """Composes the node tree, refusing aliases (a few hundred bytes of them can expand to
    gigabytes) and nesting deeper than a front matter ever needs (deep nesting exhausts the stack)."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML's hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("anchors and aliases (& and *) are not allowed in front matter", event.start_mark.line)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused("anchors and aliases (& and *) are not allowed in front matter", event.start_mark.line)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(f"is nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark.line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def parse_front_matter(raw: str, path: str, first_line: int = 1) -> tuple[FrontMatter | None, list[Problem]]:
    """Validate YAML front matter text. ``first_line`` is the file line of the YAML's first line.
    Bounded: at most ``MAX_FRONT_MATTER_CHARS``, no aliases, at most ``MAX_YAML_DEPTH`` levels."""
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        return None, [Problem(path, first_line, "front matter", f"is longer than {MAX_FRONT_MATTER_CHARS // 1024} KB")]
    try:
        loader = _StrictComposer(raw)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            return None, [Problem(path, first_line, "front matter", "must be a list of 'field: value' lines")]
        duplicate = _duplicate_key(node)
        if duplicate is not None:
            key, line = duplicate
            return None, [Problem(path, first_line + line, _one_line(key)[:60], "appears twice; keep one")]
        data = yaml.load(raw, Loader=_FrontMatterLoader)
    except _Refused as exc:
        return None, [Problem(path, first_line + exc.line, "front matter", exc.reason)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(path, line, "front matter", f"not valid YAML: {_one_line(reason)}")]
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        return None, [Problem(path, first_line, "front matter", f"cannot be read ({exc.__class__.__name__})")]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, [Problem(path, first_line, "front matter", "must be a list of 'field: value' lines")]
    lines = {k.value: first_line + k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    title = data.get("title")
    if isinstance(title, str) and len(title) > MAX_TITLE_CHARS:
        return None, [Problem(path, lines.get("title", first_line), "title", f"is longer than {MAX_TITLE_CHARS} characters")]
    opening = max(first_line - 1, 1)
    problems: list[Problem] = []
    meta: FrontMatter | None = None
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "front matter"
            if err["type"] == "missing":
                problems.append(Problem(path, opening, name, "is required"))
                continue
            problems.append(Problem(path, lines.get(name, opening), name, _plain(err)))
    if meta is not None and meta.status == "approved":
        if not meta.reviewed_by:
            problems.append(Problem(path, lines.get("reviewed_by", opening), "reviewed_by", "is required when status is approved"))
        if meta.reviewed_on is None:
            problems.append(Problem(path, lines.get("reviewed_on", opening), "reviewed_on", "is required when status is approved"))
        if not [s for s in meta.sources if str(s).strip()]:
            problems.append(Problem(path, lines.get("sources", opening), "sources", "an approved document needs at least one reference"))
        if meta.reviewed_on and meta.review_due and meta.review_due < meta.reviewed_on:
            problems.append(Problem(path, lines.get("review_due", opening), "review_due", "is before reviewed_on"))
    if meta is not None:
        meta._origin, meta._lines = path, lines
    return (meta if not problems else None), problems


def _duplicate_key(node: yaml.Node) -> tuple[str, int] | None:
    """The first key that appears twice in a mapping (YAML would silently keep the last)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: set[str] = set()
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                return key.value, key.start_mark.line
            seen.add(key.value)
        inner = _duplicate_key(value)
        if inner is not None:
            return inner
    return None


def _plain(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}, got {err.get('input')!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("string_type", "list_type"):
        return f"must be {'a list' if kind == 'list_type' else 'text'}, got {err.get('input')!r}"
    msg = str(err.get("msg", "is not valid"))
    return msg.removeprefix("Value error, ")


# ---------------------------------------------------------------------------------------------
# loaders


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(1, "the file is empty")
    if b"\0" in data[:8192]:
        raise UnreadableFile(1, "this is not a text file (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(line, f"not valid UTF-8 text (byte {exc.start}); save the file as UTF-8") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


def load_markdown(path: Path, rel: str) -> tuple[FrontMatter | None, str, int, list[Problem]]:
    text = read_text_file(path)
    m = _FRONT.match(text)
    if not m:
        return None, text, 0, [
            Problem(rel, 1, "front matter", "missing: a library document starts with a '---' line, its fields, and another '---' line")
        ]
    meta, problems = parse_front_matter(m.group(1) or "", rel, first_line=2)
    if not text[m.end() :].strip():
        problems.append(Problem(rel, text[: m.end()].count("\n") + 1, "body", "the document has no text after its front matter"))
    return meta, text, m.end(), problems


def html_to_text(html: str) -> str:
    """Readable text of an HTML page, headings kept as Markdown headings; markup and scripts removed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg", "head", "nav", "footer", "form"]):
        tag.decompose()
    for level in range(1, 7):
        for h in soup.find_all(f"h{level}"):
            h.replace_with(f"\n\n{'#' * level} {' '.join(h.get_text(' ').split())}\n\n")
    for tag in soup.find_all(["p", "div", "section", "article", "blockquote", "pre", "table", "tr", "ul", "ol"]):
        tag.insert_after("\n\n")
    for li in soup.find_all("li"):
        li.insert_before("\n- ")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    raw = soup.get_text()
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def pdf_to_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UnreadableFile(1, "the PDF is password-protected; save an unprotected copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile(1, f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    if not any(pages):
        raise UnreadableFile(1, "the PDF has no text that can be extracted (a scanned image?); add a text version")
    parts = [f"## Page {i}\n\n{_squeeze_spaces(p)}\n" for i, p in enumerate(pages, 1) if p]
    return "\n".join(parts)


def _squeeze_spaces(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text)


def sidecar_for(path: Path) -> Path | None:
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def load_with_sidecar(path: Path, rel: str, fmt: str, corpus: Path) -> tuple[FrontMatter | None, str, int, list[Problem]]:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return None, "", 0, [
            Problem(rel, 1, "front matter", f"missing: put the fields in a sidecar file named {path.stem}{SIDECAR_SUFFIX} beside it")
        ]
    side_rel = sidecar.relative_to(corpus).as_posix()
    try:
        raw = read_text_file(sidecar)
    except UnreadableFile as exc:
        return None, "", 0, [Problem(side_rel, exc.line, "front matter", exc.message)]
    meta, problems = parse_front_matter(raw, side_rel, first_line=1)
    if fmt == "pdf":
        text = pdf_to_text(path)
    else:
        text = read_text_file(path)
        if fmt == "html":
            text = html_to_text(text)
    if not text.strip():
        problems.append(Problem(rel, 1, "body", "the document has no readable text"))
    return meta, text, 0, problems


def default_id(rel: str) -> str:
    return str(Path(rel).with_suffix("")).replace("\\", "/")


def library_files(corpus: Path, skipped: list[Skipped] | None = None):
    """(path, relative path, format) of every library document file below ``corpus``, sorted.

    Hidden files and sidecars are passed over; READMEs and unsupported files are added to ``skipped``.
    """
    root = Path(corpus).resolve()
    for path in sorted(Path(corpus).rglob("*")):
        rel = path.relative_to(corpus).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts) or path.name.endswith(SIDECAR_SUFFIX):
            continue
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        reason = _not_a_plain_file(path, root)
        if reason is None and path.is_dir():
            continue
        if reason is None and shown != rel:
            reason = "the file name is not valid UTF-8; rename it"
        if reason is not None:
            if skipped is not None:
                skipped.append(Skipped(shown, reason))
            continue
        reason = None
        fmt = TEXT_SUFFIXES.get(path.suffix.lower())
        if path.name.lower() in ("readme.md", "readme.txt"):
            reason = "a README is a guide for staff, not a library document"
        elif fmt is None:
            reason = f"unsupported file type '{path.suffix or path.name}' (use .md, .txt, .html or .pdf)"
        if reason is not None:
            if skipped is not None:
                skipped.append(Skipped(rel, reason))
            continue
        yield path, rel, fmt


def _not_a_plain_file(path: Path, root: Path) -> str | None:
    """Why ``path`` is not read as a library file (a link out of the corpus, a loop, a FIFO...), or None."""
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(root):
                return "a link to a file outside the corpus folder"
        mode = path.stat().st_mode
    except RuntimeError:
        return "a link that loops"
    except OSError as exc:
        return "a link that loops" if exc.errno == errno.ELOOP else f"cannot be read: {exc.strerror or exc.__class__.__name__}"
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device)"
    return None


def load_file(path: Path, rel: str, fmt: str, corpus: Path) -> tuple[FrontMatter | None, str, int, list[Problem]]:
    """One document file: its front matter, text, where its body starts, and its problems. Never raises."""
    try:
        if fmt == "markdown":
            return load_markdown(path, rel)
        return load_with_sidecar(path, rel, fmt, corpus)
    except UnreadableFile as exc:
        return None, "", 0, [Problem(rel, exc.line, "file", exc.message)]
    except OSError as exc:
        return None, "", 0, [Problem(rel, 1, "file", f"cannot be read: {exc.strerror or exc}")]


def load_corpus(corpus: Path, today: date | None = None, exclude_overdue: bool = False, preview: str | None = None) -> LoadResult:
    """Every document below ``corpus``, validated; every problem of the run, not only the first.

    ``preview``: one document (its corpus-relative path) loaded and checked as if it were approved,
    whatever its status, so the staff console can check and preview a draft before review."""
    corpus = Path(corpus)
    today = today or date.today()
    result = LoadResult()
    if not corpus.is_dir():
        result.problems.append(Problem(str(corpus), 0, "corpus", "is not a folder"))
        return result
    ids: dict[str, str] = {}
    loaded: list[SourceDocument] = []
    for path, rel, fmt in library_files(corpus, result.skipped):
        meta, text, body_start, problems = load_file(path, rel, fmt, corpus)
        result.problems.extend(problems)
        if meta is None or problems:
            continue
        doc_id = meta.id or default_id(rel)
        if doc_id in ids:
            where, line = meta.where("id") if meta.id else (rel, 1)
            result.problems.append(Problem(where, line, "id", f"'{doc_id}' is already used by {ids[doc_id]}"))
            continue
        ids[doc_id] = rel
        if meta.status != "approved" and rel != preview:
            result.skipped.append(Skipped(rel, f"status is {meta.status}"))
            continue
        if meta.review_due and meta.review_due < today:
            if exclude_overdue:
                result.skipped.append(Skipped(rel, f"review was due on {meta.review_due}"))
                continue
            result.warnings.append(f"{rel}: review was due on {meta.review_due}; it is still indexed")
        unsafe = unsafe_content(text[body_start:])
        if unsafe is not None:
            offset, reason = unsafe
            result.problems.append(Problem(rel, text.count("\n", 0, body_start + offset) + 1, "body", reason))
            continue
        directive = _HOME_DOSING.search(text, body_start)
        if directive:
            line = text.count("\n", 0, directive.start()) + 1
            result.warnings.append(f"{rel}:{line}: reads like a dosing instruction to patients ({directive.group(0)[:60]!r}); check it before it is quoted")
        loaded.append(SourceDocument(doc_id, rel, fmt, meta, text, body_start))
    result.documents = structure_web_pages(loaded, result.warnings)
    return result


_ACTIVE_HTML = re.compile(r"<\s*(?:script|iframe|object|embed|form|style|link|meta)\b|\bon[a-z]{3,20}\s*=\s*[\"']|\bjavascript\s*:|\bdata\s*:\s*text/html", re.IGNORECASE)
_INSTRUCTIONS_TO_AN_AI = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|system|safety)\s+(?:instructions?|prompts?|rules|messages?|guidelines)\b"
    r"|\b(?:system prompt|developer message|you are now (?:a|an|in)|as an ai (?:assistant|model),? you (?:must|should|will))\b"
    r"|<\|(?:im_start|im_end|system|assistant)\|>|\[/?INST\]",
    re.IGNORECASE,
)
_HOME_DOSING = re.compile(r"\b(?:take|use|inject|give yourself|dose yourself with)\s+(?:\d+(?:\.\d+)?\s*(?:mg|milligrams?|ml|mcg)(?:/kg)?|a (?:double|higher|extra) dose)\b[^.\n]{0,40}\b(?:at home|yourself|on your own|without)\b", re.IGNORECASE)


def unsafe_content(body: str) -> tuple[int, str] | None:
    """Where and why a document body must not reach patients: active HTML (scripts, frames, event
    handlers), or text written to instruct an AI rather than inform a patient."""
    for pattern, reason in (
        (_ACTIVE_HTML, "contains active HTML (a script, frame, form or event handler); remove it"),
        (_INSTRUCTIONS_TO_AN_AI, "contains instructions addressed to an AI assistant, not information for patients; remove them"),
    ):
        m = pattern.search(body[:2_000_000])
        if m:
            return m.start(), reason
    return None


def is_web_page(doc: SourceDocument) -> bool:
    """Text or HTML from a website, or Markdown with no headings at all: text to be structured."""
    if doc.format in ("text", "html"):
        return True
    return doc.format == "markdown" and not re.search(r"^#{1,6}[ \t]+\S", doc.text[doc.body_start :], re.M)


def structure_web_pages(docs: list[SourceDocument], warnings: list[str]) -> list[SourceDocument]:
    """Headings, lists and page furniture of web pages (``ingest/webtext.py``); other documents as they are."""
    from ingest.webtext import site_furniture, structure

    pages = [d for d in docs if is_web_page(d)]
    repeated = site_furniture(d.text[d.body_start :] for d in pages)
    out: list[SourceDocument] = []
    for doc in docs:
        if doc not in pages:
            out.append(doc)
            continue
        structured = structure(doc.text[doc.body_start :], doc.meta.title, repeated)
        if doc.format == "markdown" and not structured.headings and not structured.dropped:
            out.append(doc)  # Markdown that found nothing to structure stays as its author wrote it
            continue
        if structured.dropped:
            shown = "; ".join(repr(line[:60]) for line in structured.dropped[:4])
            more = f" and {len(structured.dropped) - 4} more" if len(structured.dropped) > 4 else ""
            warnings.append(f"{doc.path}: left out {len(structured.dropped)} line(s) of page furniture or title: {shown}{more}")
        text = doc.text[: doc.body_start] + structured.text
        out.append(SourceDocument(doc.doc_id, doc.path, doc.format, doc.meta, text, doc.body_start))
    return out
