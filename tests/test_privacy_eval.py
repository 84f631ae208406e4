"""The redactor on the labelled identifier sets (python -m evals.privacy): the floors CI holds.

The tuned set and the seen frozen sets keep no identifier; the blind set not yet tuned on is
reported (and held to a looser floor), not tuned to."""

from __future__ import annotations

import pytest

from evals import privacy


@pytest.fixture(scope="module")
def known():
    return privacy.library_words()


@pytest.mark.parametrize("name", [n for n, kind in privacy.KIND.items() if kind != "blind"])
def test_no_identifier_is_kept_on_the_sets_developed_on(known, name):
    score = privacy.score(name, privacy.SETS[name], known)
    assert score.messages > 50
    assert score.kept == 0, score.leaks
    assert score.clean_withheld_rate <= 0.40  # measured 0.368 on tuned (2026-12-02): the cost of failing closed


def test_the_blind_set_keeps_few_identifiers(known):
    blind = [n for n, kind in privacy.KIND.items() if kind == "blind"]
    assert blind
    for name in blind:
        score = privacy.score(name, privacy.SETS[name], known)
        assert score.kept_rate <= 0.10, (name, score.leaks)


def test_every_set_says_what_kind_it_is():
    assert set(privacy.KIND) == set(privacy.SETS)
