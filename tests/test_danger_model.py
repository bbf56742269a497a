"""The learned danger model (dialogs/danger_model.py): fresh for the corpus, learned only from what may be tuned on."""

from __future__ import annotations

import io
from pathlib import Path

from bot.cli import phrases
from dialogs import danger_model

DATA = Path(__file__).parent / "data" / "danger"


def test_the_committed_model_was_learned_from_the_corpus_as_it_is_now():
    model = danger_model.load()
    assert model is not None, "dialogs/danger_model.json is missing: run `python -m bot phrases train`"
    assert model.corpus_hash == danger_model.corpus_hash(phrases.training_files(DATA)), (
        "the danger corpus changed since the model was learned: run `python -m bot phrases train`")


def test_the_model_never_learns_from_a_blind_set():
    names = [p.name for p in phrases.training_files(DATA)]
    assert names[0] == "tune.tsv" and all(n.startswith("holdout") for n in names[1:])
    assert not any(n.startswith("blind") for n in names)


def test_training_a_small_corpus_gives_a_model_that_reads_its_own_kind_of_danger(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    danger_lines = ["he is holding a blade to her throat", "she has a blade in her bag and means to use it",
                    "there is a lad with a blade at the gate now", "blade out in the corridor right now"]
    ordinary_lines = ["she is doing well in maths", "mum came to parents evening", "the referral went to early help",
                      "he likes football and art"]
    rows = [f"danger\tweapon\t{t}" for t in danger_lines] + [f"ordinary\tother\t{t}" for t in ordinary_lines]
    (corpus / "tune.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (corpus / "blind9.tsv").write_text("danger\tweapon\tnever read\n", encoding="utf-8")
    out = io.StringIO()
    model_path = tmp_path / "model.json"
    assert phrases.train(corpus, out, model_path) == 0
    assert "Learned from 8 lines in 1 files" in out.getvalue()
    model = danger_model.load(model_path)
    assert model.corpus_hash == danger_model.corpus_hash([corpus / "tune.tsv"])
    assert model.probability("a boy with a blade by the gate") > model.probability("she is doing well in art")
    danger_model.load.cache_clear()


def test_short_answers_are_left_to_the_rules():
    # "yes", "not sure": the model never reads one- or two-word answers (the rules do).
    assert not danger_model.reads_as_danger("yes")
    assert not danger_model.reads_as_danger("not sure")
