import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onward.biometrics.tests.clips import FIXTURES


def run_face(*args: str) -> dict:
    out = io.StringIO()
    call_command("face", *args, stdout=out)
    return json.loads(out.getvalue())


def test_compare_prints_distance_decision_engine_and_time():
    result = run_face("compare", str(FIXTURES / "obama_1.jpg"), str(FIXTURES / "obama_3.jpg"))

    assert result["decision"] == "match"
    assert 0 < result["distance"] <= 0.50
    assert result["engine"] == "dlib-resnet-v1"
    assert "dlib" in result["model_version"]
    assert result["milliseconds"] > 0


def test_compare_of_two_people_is_no_match():
    result = run_face("compare", str(FIXTURES / "grace_hopper.jpg"), str(FIXTURES / "eileen_collins.jpg"))

    assert result["decision"] == "no_match"
    assert result["distance"] > 0.60


def test_compare_names_a_photo_without_a_face(tmp_path):
    blank = tmp_path / "blank.png"
    blank.write_bytes(b"not a picture")

    with pytest.raises(CommandError, match="not_an_image"):
        run_face("compare", str(FIXTURES / "obama_1.jpg"), str(blank))


def test_evaluate_gives_error_rates_at_the_bands_and_the_equal_error_point(tmp_path):
    for photo in FIXTURES.glob("*.jpg"):
        shutil.copy(photo, tmp_path / photo.name)
    rows = [
        ("obama_1.jpg", "obama_2.jpg", "1"),
        ("obama_1.jpg", "obama_3.jpg", "yes"),
        ("obama_2.jpg", "obama_3.jpg", "true"),
        ("obama_1.jpg", "biden.jpg", "0"),
        ("obama_2.jpg", "biden.jpg", "no"),
        ("grace_hopper.jpg", "eileen_collins.jpg", "false"),
        ("biden.jpg", "grace_hopper.jpg", "0"),
    ]
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("image_a,image_b,same_person\n" + "".join(",".join(row) + "\n" for row in rows))

    result = run_face("evaluate", str(pairs))

    assert result["pairs"] == 7
    assert result["same_person_pairs"] == 3
    assert result["different_person_pairs"] == 4
    assert result["at_match_max_distance"] == {"distance": 0.5, "false_match_rate": 0.0, "false_non_match_rate": 0.0}
    assert result["at_review_max_distance"]["false_match_rate"] == 0.0
    assert result["equal_error_rate"] == 0.0
    # The fixtures separate cleanly: the equal-error distance lies between the two groups.
    assert 0.44 < result["equal_error_distance"] < 0.70


def test_evaluate_with_overlap_finds_where_the_errors_are_equal(tmp_path):
    for photo in FIXTURES.glob("*.jpg"):
        shutil.copy(photo, tmp_path / photo.name)
    pairs = tmp_path / "pairs.csv"
    # Two labels deliberately wrong: one "same" pair is two people, one "different" pair is one.
    pairs.write_text(
        "image_a,image_b,same_person\n"
        "obama_1.jpg,obama_2.jpg,1\nobama_1.jpg,biden.jpg,1\n"
        "obama_1.jpg,obama_3.jpg,0\ngrace_hopper.jpg,eileen_collins.jpg,0\n"
    )

    result = run_face("evaluate", str(pairs))

    assert result["at_match_max_distance"]["false_match_rate"] == 0.5
    assert result["at_match_max_distance"]["false_non_match_rate"] == 0.5
    assert result["equal_error_rate"] == 0.5


def test_evaluate_refuses_a_csv_without_the_columns(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nx,y\n")

    with pytest.raises(CommandError, match="image_a"):
        run_face("evaluate", str(pairs))
