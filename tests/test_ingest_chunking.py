"""Chunking with the real tokenizer: limits, exact offsets, section paths, whole sentences, stable ids.

The checks below re-derive headings and sections from the Markdown with their own small scanner, so
they test the chunker against the rules, not against itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.chunking import SECTION_SEPARATOR, Chunk, chunk_document
from ingest.documents import SourceDocument, load_corpus
from library.settings import Settings
from library.text import sentence_spans
from tests.conftest import CORPUS, write_doc

HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(\S.*)$")
DEFAULTS = Settings()


# ---------------------------------------------------------------------------------------------
# an independent reading of the Markdown


@dataclass
class Heading:
    start: int  # offset of the '#'
    end: int  # offset just past the heading line
    level: int
    name: str


def headings_of(doc: SourceDocument) -> list[Heading]:
    """ATX headings of the body, outside fenced code blocks."""
    out: list[Heading] = []
    in_fence = False
    offset = 0
    for line in doc.text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if start < doc.body_start:
            continue
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        m = HEADING_LINE.match(line.rstrip("\n"))
        if m and not in_fence:
            name = re.sub(r"[ \t]+#+[ \t]*$", "", m.group(2)).strip()
            name = re.sub(r"[*_`]", "", name).strip()
            out.append(Heading(start, start + len(line.rstrip("\n")), len(m.group(1)), name))
    return out


def expected_label(doc: SourceDocument, heads: list[Heading], position: int) -> str:
    stack: list[tuple[int, str]] = []
    for h in heads:
        if h.start >= position:
            break
        stack = [(lv, n) for lv, n in stack if lv < h.level]
        if not (h.level == 1 and h.name.casefold() == doc.meta.title.casefold()):
            stack.append((h.level, h.name))
    return SECTION_SEPARATOR.join([doc.meta.title, *[n for _, n in stack]])


def section_range(doc: SourceDocument, heads: list[Heading], position: int) -> tuple[int, int]:
    start, end = doc.body_start, len(doc.text)
    for h in heads:
        if h.start < position:
            start = h.end
        else:
            end = h.start
            break
    return start, end


def chunk(doc: SourceDocument, embedder, **kwargs) -> list[Chunk]:
    return chunk_document(
        doc,
        embedder.count_tokens,
        embedder.max_tokens,
        kwargs.get("target", DEFAULTS.chunk_tokens),
        kwargs.get("overlap", DEFAULTS.chunk_overlap_tokens),
    )


def assert_chunking_rules(doc: SourceDocument, chunks: list[Chunk], embedder) -> None:
    """Every rule of the chunker, for one document."""
    limit = embedder.max_tokens - 2  # [CLS] and [SEP] take the other two
    heads = headings_of(doc)
    covered: dict[tuple[int, int], list[tuple[int, int]]] = {}
    assert chunks, doc.path
    for c in chunks:
        where = f"{doc.path} {c.id} {c.text[:60]!r}"
        assert embedder.count_tokens(c.embed_text) <= limit, where
        assert doc.text[c.char_start : c.char_end] == c.text, where
        assert c.text.strip() == c.text and c.text, where
        assert c.doc_id == doc.doc_id and c.title == doc.meta.title and c.path == doc.path
        # never crosses a heading
        assert not any(c.char_start <= h.start < c.char_end for h in heads), where
        section = section_range(doc, heads, c.char_start)
        assert section[0] <= c.char_start and c.char_end <= section[1], where
        assert c.section == expected_label(doc, heads, c.char_start), where
        # whole sentences, unless one sentence alone is too long for the model
        spans = sentence_spans(doc.text, *section)
        if c.char_start not in {s.start for s in spans}:
            [host] = [s for s in spans if s.start < c.char_start < s.end]
            assert embedder.count_tokens(f"{c.section}\n{host.of(doc.text)}") > limit, where
            assert doc.text[c.char_start - 1].isspace(), where  # cut between words
        if c.char_end not in {s.end for s in spans}:
            [host] = [s for s in spans if s.start < c.char_end < s.end]
            assert embedder.count_tokens(f"{c.section}\n{host.of(doc.text)}") > limit, where
            assert doc.text[c.char_end].isspace(), where
        covered.setdefault(section, []).append((c.char_start, c.char_end))
    # nothing is lost: every sentence of every section is inside some chunk
    for section, ranges in covered.items():
        for s in sentence_spans(doc.text, *section):
            assert any(a <= s.start and s.end <= b for a, b in _merge(ranges)), (doc.path, s.of(doc.text)[:80])
    sections_with_text = {
        section_range(doc, heads, h.end) for h in heads if any(ch.isalnum() for ch in doc.text[slice(*section_range(doc, heads, h.end))])
    }
    assert sections_with_text <= set(covered), doc.path
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), doc.path


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def load_one(folder: Path) -> SourceDocument:
    result = load_corpus(folder)
    assert result.problems == [], [str(p) for p in result.problems]
    [doc] = result.documents
    return doc


# ---------------------------------------------------------------------------------------------
# the real corpus


@pytest.fixture(scope="module")
def corpus_chunks(real_embedder) -> list[tuple[SourceDocument, list[Chunk]]]:
    result = load_corpus(CORPUS)
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.documents) >= 5
    return [(doc, chunk(doc, real_embedder)) for doc in result.documents]


def test_real_corpus_follows_every_chunking_rule(corpus_chunks, real_embedder):
    for doc, chunks in corpus_chunks:
        assert_chunking_rules(doc, chunks, real_embedder)


def test_real_corpus_chunk_ids_are_unique_and_stable(corpus_chunks, real_embedder):
    first = [c.id for _, chunks in corpus_chunks for c in chunks]
    assert len(first) == len(set(first))
    again = [c.id for doc in load_corpus(CORPUS).documents for c in chunk(doc, real_embedder)]
    assert again == first


def test_real_corpus_labels_keep_headings(corpus_chunks):
    for doc, chunks in corpus_chunks:
        heads = [h for h in headings_of(doc) if h.level >= 2]
        if not heads:
            continue
        labelled = {c.section for c in chunks}
        # every second-level section that has text shows up as "Title › Section"
        for h in heads:
            if h.level == 2:
                assert any(label.startswith(f"{doc.meta.title}{SECTION_SEPARATOR}{h.name}") for label in labelled), (
                    doc.path,
                    h.name,
                )


# ---------------------------------------------------------------------------------------------
# synthetic documents


NESTED = """# Nested headings

Intro sentence before any section. It belongs to the title.

## First part

Text of the first part. Another sentence here.

### Detail of the first part

Detail text. More detail text.

#### Fine print

Fine print text.

## Second part ##

Second part text after a deep section.

## Empty part

### Child of the *empty* part

Child text.

# Another top level

Top level text.

### Skipped a level

Skipped level text.
"""


def test_section_paths_follow_nested_headings(tmp_path: Path, real_embedder):
    write_doc(tmp_path, "nested.md", NESTED, title="Nested headings")
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder)
    assert_chunking_rules(doc, chunks, real_embedder)
    t = "Nested headings"
    assert [(c.section, c.text) for c in chunks] == [
        (t, "Intro sentence before any section. It belongs to the title."),
        (f"{t} › First part", "Text of the first part. Another sentence here."),
        (f"{t} › First part › Detail of the first part", "Detail text. More detail text."),
        (f"{t} › First part › Detail of the first part › Fine print", "Fine print text."),
        (f"{t} › Second part", "Second part text after a deep section."),
        (f"{t} › Empty part › Child of the empty part", "Child text."),
        (f"{t} › Another top level", "Top level text."),
        (f"{t} › Another top level › Skipped a level", "Skipped level text."),
    ]


def test_headings_inside_code_fences_are_not_sections(tmp_path: Path, real_embedder):
    body = (
        "# Fences\n\n## Real section\n\nBefore the fence.\n\n"
        "```\n# not a heading\n## also not a heading\n```\n\n"
        "~~~\n### still not a heading\n~~~\n\n"
        "After the fence.\n\n## Next section\n\nNext text.\n"
    )
    write_doc(tmp_path, "fences.md", body, title="Fences")
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder)
    assert_chunking_rules(doc, chunks, real_embedder)
    assert {c.section for c in chunks} == {"Fences › Real section", "Fences › Next section"}
    real = " ".join(c.text for c in chunks if c.section == "Fences › Real section")
    assert "# not a heading" in real and "### still not a heading" in real and "After the fence." in real


def numbered_sentences(n: int, words: int = 12) -> list[str]:
    filler = "patients and clinicians discuss the plan carefully before every single visit together"
    return [f"Sentence {i} says {' '.join(filler.split()[: words - 3])}." for i in range(n)]


def test_long_section_is_split_into_whole_sentences(tmp_path: Path, real_embedder):
    sents = numbered_sentences(300)
    write_doc(tmp_path, "long.md", "# Long\n\n## Only section\n\n" + " ".join(sents) + "\n", title="Long")
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder)
    assert_chunking_rules(doc, chunks, real_embedder)
    assert len(chunks) > 5
    runs = []
    for c in chunks:
        parts = re.findall(r"Sentence \d+ says [^.]*\.", c.text)
        assert " ".join(parts) == c.text  # nothing but whole sentences
        first = sents.index(parts[0])
        assert parts == sents[first : first + len(parts)]  # a contiguous run
        runs.append((first, first + len(parts)))
        assert real_embedder.count_tokens(c.text) <= DEFAULTS.chunk_tokens or len(parts) == 1
    assert runs[0][0] == 0 and runs[-1][1] == len(sents)
    for (a1, b1), (a2, b2) in zip(runs, runs[1:]):
        assert a1 < a2 <= b1  # moves forward, no gap
        overlap = " ".join(sents[a2:b1])
        assert real_embedder.count_tokens(overlap) <= DEFAULTS.chunk_overlap_tokens


def test_sentence_longer_than_the_model_is_split_at_word_boundaries(tmp_path: Path, real_embedder):
    giant = " ".join(f"word{i} infusion" for i in range(700))
    body = (
        "# Giant\n\n## Section with a giant sentence\n\n"
        f"A short sentence first. {giant} ends here. A short sentence after.\n\n"
        "## Normal section\n\nNormal text. More normal text.\n"
    )
    write_doc(tmp_path, "giant.md", body, title="Giant")
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder)
    assert_chunking_rules(doc, chunks, real_embedder)
    pieces = [c for c in chunks if "word" in c.text]
    assert len(pieces) >= 3
    joined = " ".join(re.findall(r"word\d+ infusion", " ".join(c.text for c in pieces)))
    assert giant in joined  # every word, in order
    assert any(c.text == "Normal text. More normal text." and c.section == "Giant › Normal section" for c in chunks)


@pytest.mark.parametrize(("target", "overlap"), [(10_000, 40), (30, 0), (180, 500)])
def test_token_limit_holds_whatever_the_settings(tmp_path: Path, real_embedder, target: int, overlap: int):
    long_heading = " ".join(["Very long heading about ketamine infusion safety"] * 8)
    body = f"# Limits\n\n## {long_heading}\n\n" + " ".join(numbered_sentences(120, words=30)) + "\n"
    write_doc(tmp_path, "limits.md", body, title="Limits")
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder, target=target, overlap=overlap)
    assert_chunking_rules(doc, chunks, real_embedder)


def test_html_and_text_documents_follow_the_rules(tmp_path: Path, real_embedder):
    (tmp_path / "page.html").write_text(
        "<h1>Page</h1><p>" + " ".join(numbered_sentences(40)) + "</p><h2>Sub</h2><p>Sub text. More.</p>", encoding="utf-8"
    )
    (tmp_path / "page.meta.yaml").write_text(
        "title: Page\ntopic: process\nstatus: approved\nreviewed_by: X\nreviewed_on: 2026-01-01\nsources: [S]\n",
        encoding="utf-8",
    )
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder)
    assert_chunking_rules(doc, chunks, real_embedder)
    assert {c.section for c in chunks} == {"Page", "Page › Sub"}


def test_ids_are_stable_and_change_only_where_the_text_changes(tmp_path: Path, real_embedder):
    first = "\n\n".join(numbered_sentences(30)[:15])
    second = "\n\n".join(numbered_sentences(30)[15:])
    write_doc(tmp_path, "d.md", f"# D\n\n## Alpha\n\n{first}\n\n## Beta\n\n{second}\n", title="D")
    before = chunk(load_one(tmp_path), real_embedder)
    assert [c.id for c in before] == [c.id for c in chunk(load_one(tmp_path), real_embedder)]
    assert all(c.id.startswith("d#") for c in before)

    write_doc(tmp_path, "d.md", f"# D\n\n## Alpha\n\n{first}\n\n## Beta\n\n{second}\n\nOne new closing sentence.\n", title="D")
    after = chunk(load_one(tmp_path), real_embedder)
    alpha_before = [c.id for c in before if c.section == "D › Alpha"]
    alpha_after = [c.id for c in after if c.section == "D › Alpha"]
    assert alpha_before == alpha_after
    assert [c.id for c in before if c.section == "D › Beta"] != [c.id for c in after if c.section == "D › Beta"]


def test_identical_passages_get_distinct_ids(tmp_path: Path, real_embedder):
    body = "# Repeats\n\n## Notes\n\nThe same text.\n\n## Notes\n\nThe same text.\n"
    write_doc(tmp_path, "r.md", body, title="Repeats")
    doc = load_one(tmp_path)
    chunks = chunk(doc, real_embedder)
    assert [c.section for c in chunks] == ["Repeats › Notes", "Repeats › Notes"]
    assert len({c.id for c in chunks}) == 2
    assert [c.id for c in chunks] == [c.id for c in chunk(load_one(tmp_path), real_embedder)]
