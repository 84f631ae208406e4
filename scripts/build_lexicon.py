"""Build ``library/data/english_words.txt``: words written in lower case in text nobody here wrote.

The redactor (library/redact.py) reads a lower-case word after "my husband" or "Dr." as a name only
when it is not an ordinary English word, and a capitalised first word of a sentence as a possible
name when it is no English word at all. Which words are ordinary is learnt from two public sets in
../shared/datasets: the MedQuAD development library (NIH answers: formal English) and the C-SSRS
forum posts (Reddit: everyday English). A word is ordinary when it appears in lower case in at least
three documents (MedQuAD) or in the posts of at least three different people (C-SSRS): a name
written in lower case by one person, or capitalised in formal text, stays out.

    .venv/bin/python scripts/build_lexicon.py [DATASETS_DIR]
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

MIN_COUNT = 3
OUT = Path(__file__).resolve().parent.parent / "library" / "data" / "english_words.txt"


WORD = re.compile(r"(?<![\w'])[a-z]+(?:'[a-z]+)?(?![\w'])")


def main(datasets: str = "../shared/datasets") -> None:
    root = Path(datasets)
    counts: collections.Counter[str] = collections.Counter()  # documents or people using the word
    with open(root / "medquad-dev" / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            counts.update(set(WORD.findall(" ".join(v for v in doc.values() if isinstance(v, str)))))
    with open(root / "cssrs-dev" / "users.jsonl", encoding="utf-8") as fh:
        for line in fh:
            user = json.loads(line)
            counts.update(set(WORD.findall(" ".join(user.get("posts", [])))))
    words = sorted(w for w, n in counts.items() if n >= MIN_COUNT and len(w) > 1 or w in ("a", "i"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("# Built by scripts/build_lexicon.py from MedQuAD and the Reddit C-SSRS set (both CC BY 4.0); one word a line.\n" + "\n".join(words) + "\n")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:])
