"""One settings object: defaults, then a YAML file, then environment variables, then arguments."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from library.settings import Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path: Path):
    """No ASSISTANT_ variables and no assistant.yaml from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults():
    settings = Settings()
    assert settings.data_dir == Path("data")
    assert settings.index_dir == Path("data") / "index"
    assert settings.feedback_db == Path("data") / "feedback.sqlite3"
    assert settings.clinic.crisis_resources and "988" in settings.clinic.crisis_resources[0].how


def test_index_dir_follows_data_dir_unless_set(monkeypatch, tmp_path: Path):
    assert Settings(data_dir=tmp_path / "d").index_dir == tmp_path / "d" / "index"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "env-data"))
    assert Settings().index_dir == tmp_path / "env-data" / "index"
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "elsewhere"))
    assert Settings().index_dir == tmp_path / "elsewhere"


def test_environment_variables_override_defaults(monkeypatch):
    default = Settings()
    monkeypatch.setenv("ASSISTANT_CHUNK_TOKENS", "99")
    monkeypatch.setenv("ASSISTANT_EXCLUDE_OVERDUE", "true")
    monkeypatch.setenv("ASSISTANT_CLINIC__PHONE", "+1 555 0100")
    monkeypatch.setenv("ASSISTANT_LLM__PROVIDER", "ollama")
    settings = Settings()
    assert settings.chunk_tokens == 99 != default.chunk_tokens
    assert settings.exclude_overdue is True
    assert settings.clinic.phone == "+1 555 0100"
    # the rest of the nested object keeps its defaults
    assert settings.clinic.name == default.clinic.name
    assert settings.clinic.crisis_resources == default.clinic.crisis_resources
    assert settings.llm.provider == "ollama" and settings.llm.temperature == default.llm.temperature


def test_invalid_environment_value_is_rejected(monkeypatch):
    monkeypatch.setenv("ASSISTANT_CHUNK_TOKENS", "many")
    with pytest.raises(ValueError, match="chunk_tokens"):
        Settings()


def test_yaml_config_file(monkeypatch, tmp_path: Path):
    config = tmp_path / "clinic.yaml"
    config.write_text(
        "chunk_tokens: 120\nexclude_overdue: true\nclinic:\n  name: Sunrise Clinic\n  phone: 555-0199\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    settings = Settings()
    assert (settings.chunk_tokens, settings.exclude_overdue) == (120, True)
    assert (settings.clinic.name, settings.clinic.phone) == ("Sunrise Clinic", "555-0199")

    monkeypatch.setenv("ASSISTANT_CHUNK_TOKENS", "77")  # environment beats the file
    assert Settings().chunk_tokens == 77
    assert Settings(chunk_tokens=55).chunk_tokens == 55  # arguments beat both


def test_assistant_yaml_in_the_working_directory_is_read(tmp_path: Path):
    (tmp_path / "assistant.yaml").write_text("retrieval_k: 9\n", encoding="utf-8")
    assert Settings().retrieval_k == 9


def test_config_pointing_nowhere_is_an_error(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(FileNotFoundError, match="missing.yaml"):
        Settings()
