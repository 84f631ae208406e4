"""Patient-facing messages: Jinja templates in prompts/messages/, rendered strictly.

A missing variable fails loudly (StrictUndefined) instead of showing a patient a blank.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from library.settings import ClinicProfile

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(PROMPTS_DIR)),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown output; clinic fields are staff-configured, and the UI escapes HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, clinic: ClinicProfile, **values: object) -> str:
    """Render ``prompts/messages/NAME.md.j2`` with the clinic profile and extra values."""
    template = _env().get_template(f"messages/{name}.md.j2")
    return template.render(clinic=clinic, **values).strip()


def message_names() -> list[str]:
    return sorted(p.name.removesuffix(".md.j2") for p in (PROMPTS_DIR / "messages").glob("*.md.j2"))
