"""The ground floor: settings, the embedder, the index store, shared text helpers.

Both `ingest/` (the writer) and `assistant/` (the reader) stand on this package; it imports neither.
"""
