"""python -m ingest --corpus DIR --index DIR [--json]      (CONTRACT §2)
python -m ingest --index DIR --history [--json]            (CONTRACT §6)
python -m ingest --index DIR --rollback CORPUS_VERSION     (CONTRACT §6)"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from library.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Validate the library's documents and bring the search index up to date.",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="folder of documents (default: corpus/)")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: data/index)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--check", action="store_true", help="validate only; do not touch the index")
    parser.add_argument("--history", action="store_true", help="list the published generations that can be switched back to")
    parser.add_argument("--rollback", metavar="CORPUS_VERSION", help="make an earlier published generation live again")
    parser.add_argument("--by", default=None, help="who publishes (recorded in the history)")
    args = parser.parse_args(argv)

    settings = Settings()
    corpus = args.corpus or settings.corpus_dir
    index = args.index or settings.index_dir
    if args.history or args.rollback:
        return _history(settings, Path(index), args)

    from ingest.documents import load_corpus
    from ingest.indexing import IngestBusy, IngestFailed, ingest

    if args.check:
        load = load_corpus(corpus, exclude_overdue=settings.exclude_overdue)
        for problem in load.problems:
            print(problem, file=sys.stderr)
        print(f"{len(load.documents)} valid document(s), {len(load.problems)} problem(s)", file=sys.stderr)
        return 1 if load.problems else 0

    from library.embedder import ModelNotFound, load_embedder

    try:
        embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.ingest_threads)
    except ModelNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bar = _progress_bar(enabled=sys.stderr.isatty() and not args.json)
    try:
        report = ingest(corpus, index, settings, embedder, progress=bar, published_by=args.by)
    except IngestFailed as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"ingest stopped: {len(exc.problems)} problem(s); the index at {index} was not changed", file=sys.stderr)
        return 1
    except IngestBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        bar.close()
    if args.json:
        print(json.dumps(report.as_json()))
    else:
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for skip in report.skipped:
            print(f"skipped: {skip['path']}: {skip['reason']}", file=sys.stderr)
        print(
            f"{report.documents} documents, {report.chunks} chunks "
            f"(added {report.added}, updated {report.updated}, removed {report.removed}, unchanged {report.unchanged}); "
            f"embedded {report.embedded}, corpus_version {report.corpus_version}, {report.seconds:.1f}s"
        )
    return 0


def _history(settings: Settings, index: Path, args) -> int:
    from ingest.indexing import IngestBusy, published_generations, roll_back
    from library import history
    from library.manifest import read_manifest

    if read_manifest(index) is None:
        print(f"error: {index}: no index here yet", file=sys.stderr)
        return 1
    if args.rollback:
        try:
            manifest = roll_back(index, settings, args.rollback, by=args.by)
        except history.UnknownVersion as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except IngestBusy as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"live: corpus_version {manifest.corpus_version} ({len(manifest.documents)} documents, {manifest.chunk_count} chunks)")
        return 0
    rows = published_generations(index, settings)
    if args.json:
        print(json.dumps([g.contract_json() for g in rows]))
    else:
        for g in rows:
            by = f" by {g.published_by}" if g.published_by else ""
            print(f"{'*' if g.live else ' '} {g.corpus_version}  {g.published_at}{by}  {g.documents} documents, {g.chunks} chunks ({g.action})")
    return 0


class _progress_bar:
    def __init__(self, enabled: bool):
        self._bar = None
        self._enabled = enabled

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled or total == 0:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc="embedding", unit="chunk", file=sys.stderr)
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


if __name__ == "__main__":
    sys.exit(main())
