"""The input guard: any input becomes clean text or a named problem, never an exception."""

from __future__ import annotations

import random
import time
import unicodedata

import pytest

from assistant.guard import HARD_CAP_CHARS, GuardResult, guard

MAX = 2000


def test_plain_question_passes_through_trimmed():
    result = guard("  How long does an infusion take?  ", MAX)
    assert result == GuardResult(text="How long does an infusion take?", problem=None, original_chars=35)
    assert result.ok


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t \r\n", "\x00\x00", "\u200b\u200b", b"", b"   "])
def test_nothing_to_read_is_empty(raw):
    result = guard(raw, MAX)
    assert result.problem == "empty"
    assert result.text == ""


@pytest.mark.parametrize("raw", ["???", "!!! ...", "😢😢", "🙂", "----", "\ufffd\ufffd\ufffd"])
def test_no_letters_or_digits_is_unreadable(raw):
    assert guard(raw, MAX).problem == "unreadable"


def test_random_binary_is_unreadable():
    noise = random.Random(7).randbytes(600)
    assert guard(noise, MAX).problem == "unreadable"


def test_utf8_bytes_are_decoded():
    assert guard("¿Cuánto dura una infusión?".encode("utf-8"), MAX).text == "¿Cuánto dura una infusión?"


def test_legacy_latin1_bytes_stay_readable():
    assert guard("caf\xe9 and ketamine".encode("latin-1"), MAX).text == "café and ketamine"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_other_unicode_encodings_are_decoded(encoding):
    assert guard("is ketamine safe?".encode(encoding), MAX).text == "is ketamine safe?"


def test_control_characters_are_removed_but_newlines_and_tabs_kept():
    result = guard("line one\x07\x1b[31m\nline\ttwo\x00", MAX)
    assert result.text == "line one[31m\nline\ttwo"


def test_control_characters_inside_a_word_do_not_split_it():
    assert guard("I want to ki\x00ll my\x08self", MAX).text == "I want to kill myself"


def test_invisible_and_bidi_characters_are_removed():
    assert guard("ki\u200bll my\u200dself \u202etxet\u202c", MAX).text == "kill myself txet"


def test_unicode_is_nfkc_normalised():
    assert guard("ｋｅｔａｍｉｎｅ ﬁrst", MAX).text == "ketamine first"


def test_markup_is_kept_as_inert_text():
    raw = "<script>alert('x')</script> <b>What is</b> [ketamine](javascript:void) &amp; {{ clinic.name }}"
    assert guard(raw, MAX).text == raw


def test_line_breaks_are_normalised_and_blank_runs_collapsed():
    assert guard("a\r\nb\rc\n\n\n\nd", MAX).text == "a\nb\nc\n\nd"


def test_too_long_keeps_the_whole_text_up_to_the_hard_cap():
    raw = "I have a question. " * 300  # 5,700 characters
    result = guard(raw, MAX)
    assert result.problem == "too_long"
    assert result.text == raw.strip()


def test_huge_input_is_capped_quickly():
    started = time.perf_counter()
    result = guard("ketamine " * 2_000_000, MAX)
    assert result.problem == "too_long"
    assert len(result.text) <= HARD_CAP_CHARS
    assert result.original_chars == 18_000_000
    assert time.perf_counter() - started < 5


def test_huge_bytes_are_capped():
    assert guard(b"a" * 5_000_000, MAX).problem == "too_long"


def test_lone_surrogates_are_dropped():
    result = guard("abc\ud800def", MAX)
    assert result.text == "abcdef"
    result.text.encode("utf-8")


@pytest.mark.parametrize("raw,expected", [(42, "42"), (3.5, "3.5")])
def test_numbers_become_text(raw, expected):
    assert guard(raw, MAX).text == expected


class _Hostile:
    def __str__(self):
        raise RuntimeError("boom")


@pytest.mark.parametrize("raw", [["a"], {"question": "hi"}, object(), True, _Hostile(), {1, 2}, guard])
def test_non_text_objects_are_unreadable(raw):
    assert guard(raw, MAX).problem == "unreadable"


@pytest.mark.parametrize(
    "raw",
    [
        "Quiero saber cómo funciona la ketamina",
        "氯胺酮是如何起作用的？",
        "كيف يعمل الكيتامين؟",
        "Как действует кетамин?",
        "केटामाइन कैसे काम करता है?",
    ],
)
def test_other_languages_are_readable(raw):
    result = guard(raw, MAX)
    assert result.ok
    assert result.text == unicodedata.normalize("NFKC", raw)


def test_never_raises_on_a_storm_of_malformed_inputs():
    rng = random.Random(11)
    inputs: list[object] = [rng.randbytes(rng.randint(0, 400)) for _ in range(200)]
    inputs += ["".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 300))) for _ in range(200)]
    inputs += [b"\xff\xfe" + rng.randbytes(101), b"\xef\xbb\xbf\xff", "\x00" * 10_000, "\n" * 50_000]
    for raw in inputs:
        result = guard(raw, MAX)
        assert isinstance(result, GuardResult)
        assert result.problem in (None, "empty", "unreadable", "too_long")
        result.text.encode("utf-8")  # always encodable downstream
        assert len(result.text) <= HARD_CAP_CHARS
