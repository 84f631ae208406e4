"""Triage precision and recall per class, on every labelled set, the frozen ones apart.

    python -m assistant.triage_report                  # every set, frozen and public apart from tuned
    python -m assistant.triage_report --set frozen/crisis --verbose
    python -m assistant.triage_report --cssrs          # also the C-SSRS forum posts, per user
    python -m assistant.triage_report --json out.json

See ``assistant/triage/report.py`` for what each set is and how it may be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from assistant.triage.report import CSSRS_FILE, cssrs_users, figures, format_set, run, run_cssrs, sets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.triage_report", description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="names", help="a set name (repeatable); default: all")
    parser.add_argument("--list", action="store_true", help="list the sets and stop")
    parser.add_argument("--cssrs", action="store_true", help="also run the C-SSRS forum posts (a few minutes)")
    parser.add_argument("--verbose", action="store_true", help="list every message sorted wrongly")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.list:
        for name, (kind, cases) in sets().items():
            print(f"{name:28} {kind:7} {len(cases)}")
        return 0

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.triage import Triage
    from library.embedder import load_embedder
    from library.settings import get_settings

    settings = get_settings()
    embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads)
    triage = Triage.from_settings(settings, embedder)
    out: dict = {}
    for kind_wanted in ("frozen", "public", "tuned"):
        chosen = {n: v for n, v in sets(args.names).items() if v[0] == kind_wanted}
        if not chosen:
            continue
        print(f"# {kind_wanted} sets" + (" (never used to tune)" if kind_wanted != "tuned" else " (triage was tuned on these)") + "\n")
        for name, (kind, cases) in chosen.items():
            started = time.perf_counter()
            outcomes = run(triage, cases)
            f = figures(outcomes)
            out[name] = {"kind": kind, **f.as_dict(), "seconds": round(time.perf_counter() - started, 1)}
            print(format_set(name, kind, f, outcomes, args.verbose))
    if args.cssrs:
        if not CSSRS_FILE.is_file():
            print(f"cssrs-dev: skipped, {CSSRS_FILE} is not there")
        else:
            started = time.perf_counter()
            result = run_cssrs(triage, cssrs_users())
            out["cssrs-dev"] = {"kind": "tuned", **result, "seconds": round(time.perf_counter() - started, 1)}
            print("# cssrs-dev (real forum posts; thresholds calibrated on it, so tuned)\n")
            print(f"- users {result['users']}, posts {result['posts']}")
            print(f"- at-risk users flagged: {result['at_risk_flagged']:.3f}")
            print(f"- Supportive users flagged: {result['supportive_flagged']:.3f}")
            print("- flagged per label: " + ", ".join(f"{k} {v:.3f}" for k, v in result["per_label_flagged"].items()))
            print(f"- posts routed to crisis: {result['posts_flagged']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
