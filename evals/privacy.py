"""How well redaction keeps identifiers out of what is stored: ``python -m evals.privacy``.

Each case is a patient message and the identifiers in it (names, phone numbers, dates of birth,
IDs...), labelled by people who never saw the redactor. A message is passed through
``library.redact.for_storage`` with the vocabulary the live app gives it (the library's words and
the medicines triage knows), and scored:

- **identifiers kept**: an identifier whose text survives into what would be stored (the leak);
- **clean messages withheld**: a message without identifiers that is not stored at all, because
  the redactor was unsure (the cost of failing closed: staff lose the question's text);
- **clean messages changed**: one stored with something redacted that was not an identifier.

Sets: ``tuned`` (tests/data/pii_cases.jsonl, which the redactor was developed on) and ``frozen``
(evals/frozen/privacy/, written blind and never tuned on). Report them apart.

    .venv/bin/python -m evals.privacy [--set tuned|frozen|all] [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.triage.rules.vocabulary import MEDICINE_WORDS
from library.redact import for_storage, words_of

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "tuned": ROOT / "tests" / "data" / "pii_cases.jsonl",
    "frozen": ROOT / "evals" / "frozen" / "privacy" / "identifiers.jsonl",
    "frozen3": ROOT / "evals" / "frozen" / "privacy" / "identifiers_round3.jsonl",
    "frozen4": ROOT / "evals" / "frozen" / "privacy" / "identifiers_round4.jsonl",
    "frozen5": ROOT / "evals" / "frozen" / "privacy" / "identifiers_round5.jsonl",
}
KIND = {"tuned": "developed on", "frozen": "seen", "frozen3": "seen", "frozen4": "seen", "frozen5": "blind"}
"""What each set is now: blind sets have never been tuned on; seen ones were, by moving their
first-contact failures to the tuned set. frozen and frozen3 are two blind sets; the cases each failed at first contact have moved to the
tuned set (evals/frozen/MOVED.md), so their remaining cases are seen, and their honest figures are
the first-contact ones in evals/frozen/privacy/first_contact_2026-12-01.txt. frozen4 likewise;
frozen5 is blind and not yet tuned on."""


@dataclass
class PrivacyScore:
    name: str
    messages: int = 0
    identifiers: int = 0
    kept: int = 0
    clean: int = 0
    clean_withheld: int = 0
    clean_changed: int = 0
    withheld: int = 0
    kept_by_type: dict[str, int] = field(default_factory=dict)
    leaks: list[dict] = field(default_factory=list)
    over: list[dict] = field(default_factory=list)

    @property
    def kept_rate(self) -> float:
        return self.kept / self.identifiers if self.identifiers else 0.0

    @property
    def clean_withheld_rate(self) -> float:
        return self.clean_withheld / self.clean if self.clean else 0.0


def library_words(corpus: Path = ROOT / "corpus") -> frozenset[str]:
    """What the app passes as known words: the library's vocabulary and the medicine names."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.md"))]
    return words_of(texts) | MEDICINE_WORDS


def score(name: str, path: Path, known: frozenset[str]) -> PrivacyScore:
    out = PrivacyScore(name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        stored = for_storage(case["text"], known).text
        out.messages += 1
        out.withheld += stored is None
        if not case["identifiers"]:
            out.clean += 1
            if stored is None:
                out.clean_withheld += 1
                out.over.append({"id": case["id"], "text": case["text"], "stored": None})
            elif stored != case["text"]:
                out.clean_changed += 1
                out.over.append({"id": case["id"], "text": case["text"], "stored": stored})
        for ident in case["identifiers"]:
            out.identifiers += 1
            if stored is not None and ident["value"].lower() in stored.lower():
                out.kept += 1
                out.kept_by_type[ident["type"]] = out.kept_by_type.get(ident["type"], 0) + 1
                out.leaks.append({"id": case["id"], "type": ident["type"], "value": ident["value"], "stored": stored})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.privacy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--verbose", action="store_true", help="list each leak and each clean message changed or withheld")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    known = library_words()
    names = list(SETS) if args.set == "all" else [args.set]
    scores = [score(n, SETS[n], known) for n in names if SETS[n].exists()]
    if args.json:
        print(json.dumps([asdict(s) | {"kept_rate": s.kept_rate, "clean_withheld_rate": s.clean_withheld_rate} for s in scores], indent=2))
        return 0
    for s in scores:
        print(
            f"{s.name:7} ({ {'developed on': 'developed on', 'seen': 'blind set, first-contact failures moved out: seen', 'blind': 'written blind, never tuned on'}[KIND[s.name]] }): "
            f"identifiers kept {s.kept}/{s.identifiers} ({s.kept_rate:.3f}); "
            f"clean messages withheld {s.clean_withheld}/{s.clean} ({s.clean_withheld_rate:.3f}), changed {s.clean_changed}/{s.clean}; "
            f"messages withheld {s.withheld}/{s.messages}"
        )
        if s.kept_by_type:
            print("         kept by type: " + ", ".join(f"{k} {v}" for k, v in sorted(s.kept_by_type.items())))
        if args.verbose:
            for leak in s.leaks:
                print(f"  KEPT {leak['id']} {leak['type']} {leak['value']!r}: {leak['stored'][:140]!r}")
            for o in s.over:
                print(f"  CLEAN {o['id']} {o['text'][:90]!r} -> {(o['stored'] or '(withheld)')[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
