import csv
import io
import itertools
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onward.biometrics.management.commands.voice import equal_error
from onward.biometrics.tests.voices import FOLDER, VOICES, voice_path, wav_bytes


def run_voice(*args: str) -> dict:
    out = io.StringIO()
    call_command("voice", *args, stdout=out)
    return json.loads(out.getvalue())


def test_compare_prints_similarity_decision_engine_and_time():
    result = run_voice("compare", str(voice_path("slt", "phrase_1")), str(voice_path("slt", "digits_2")))

    assert result["decision"] == "match"
    assert result["similarity"] >= 0.80
    assert result["problems"] == {}
    assert result["engine"] == "ge2e-resemblyzer-numpy-v1"
    assert "resemblyzer 0.1.4" in result["model_version"]
    assert result["milliseconds"] > 0


def test_compare_of_two_voices_is_no_match():
    result = run_voice("compare", str(voice_path("slt", "phrase_1")), str(voice_path("kal16", "digits_1")))

    assert result["decision"] == "no_match"
    assert result["similarity"] < 0.70


def test_compare_of_a_silent_recording_says_retry(tmp_path):
    silent = tmp_path / "silent.wav"
    silent.write_bytes(wav_bytes(np.zeros(32000, dtype=np.float32)))

    result = run_voice("compare", str(voice_path("slt", "phrase_1")), str(silent))

    assert result["decision"] == "retry"
    assert result["similarity"] is None
    assert result["problems"] == {str(silent): "too_little_speech"}


def test_evaluate_on_the_flite_voices_separates_every_pair(tmp_path):
    """Every recording against every other: 40 same-voice pairs and 150 different-voice pairs."""
    names = [f"{v}_{u}.wav" for v in VOICES for u in ("phrase_1", "phrase_2", "phrase_3", "digits_1", "digits_2")]
    rows = [(a, b, "yes" if a.split("_")[0] == b.split("_")[0] else "no") for a, b in itertools.combinations(names, 2)]
    pairs_csv = tmp_path / "pairs.csv"
    with pairs_csv.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["audio_a", "audio_b", "same_person"])
        writer.writerows((f"{FOLDER}/{a}", f"{FOLDER}/{b}", same) for a, b, same in rows)

    result = run_voice("evaluate", str(pairs_csv))

    assert result["pairs"] == 190
    assert result["same_person_pairs"] == 40
    assert result["different_person_pairs"] == 150
    assert result["retry"] == {}
    assert result["at_match_min_similarity"]["false_match_rate"] == 0.0
    assert result["at_review_min_similarity"]["false_non_match_rate"] == 0.0
    assert result["equal_error_rate"] <= 0.02
    assert result["same_person_similarity"]["mean"] > result["different_person_similarity"]["mean"] + 0.2


def test_evaluate_lists_recordings_to_record_again(tmp_path):
    (tmp_path / "silent.wav").write_bytes(wav_bytes(np.zeros(32000, dtype=np.float32)))
    (tmp_path / "pairs.csv").write_text(
        f"audio_a,audio_b,same_person\n{voice_path('awb', 'phrase_1')},{voice_path('awb', 'digits_1')},1\n"
        f"{voice_path('awb', 'phrase_1')},silent.wav,1\n"
    )

    result = run_voice("evaluate", str(tmp_path / "pairs.csv"))

    assert result["same_person_pairs"] == 1
    assert result["retry"] == {"silent.wav": "too_little_speech"}


def test_evaluate_needs_the_columns(tmp_path):
    pairs_csv = tmp_path / "pairs.csv"
    pairs_csv.write_text("a,b\nx,y\n")
    with pytest.raises(CommandError, match="audio_a, audio_b, same_person"):
        run_voice("evaluate", str(pairs_csv))


def test_equal_error_is_where_the_two_error_rates_cross():
    assert equal_error([0.9, 0.8], [0.3, 0.5]) == (0.0, 0.65)
    rate, similarity = equal_error([0.9, 0.6, 0.8, 0.7], [0.3, 0.65, 0.5, 0.4])
    assert rate == 0.25
    assert 0.6 < similarity <= 0.65
