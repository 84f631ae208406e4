"""message → triage → passages → grounded answer. Run it with ``python -m assistant``."""
