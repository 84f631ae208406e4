"""The UI's words: ``prompts/ui/*.yaml``, rendered once with the clinic profile, strictly.

A missing variable raises at start-up (StrictUndefined) rather than showing a patient a blank.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

from library.settings import ClinicProfile

PROMPTS_UI = Path(__file__).resolve().parent.parent / "prompts" / "ui"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


class Texts:
    """Rendered texts, looked up by dotted key: ``texts["sources.heading"]``."""

    def __init__(self, data: dict[str, Any]):
        self._data = data

    def __getitem__(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"prompts/ui has no text named {key!r}")
            node = node[part]
        return node

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


def load_texts(clinic: ClinicProfile, name: str = "patient", folder: Path = PROMPTS_UI) -> Texts:
    raw = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
    return Texts(_render(raw, clinic))


def _render(node: Any, clinic: ClinicProfile) -> Any:
    if isinstance(node, str):
        return _env().from_string(node).render(clinic=clinic).strip()
    if isinstance(node, list):
        return [_render(item, clinic) for item in node]
    if isinstance(node, dict):
        return {key: _render(value, clinic) for key, value in node.items()}
    return node
