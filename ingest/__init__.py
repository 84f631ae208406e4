"""corpus → documents → chunks → embeddings → index. Run it with ``python -m ingest``."""
