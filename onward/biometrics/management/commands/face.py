"""Operators' face tools: compare two photos, or measure error rates on a list of labelled pairs.

    manage.py face compare A.jpg B.jpg
    manage.py face evaluate pairs.csv      (columns: image_a, image_b, same_person; paths relative
                                           to the CSV file; same_person is 1/0, true/false, yes/no)
Both print JSON, so an operator can calibrate FACE_MATCH_MAX_DISTANCE on their own photos.
"""

import csv
import itertools
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onward.biometrics import api, engines, media

TRUE_WORDS = {"1", "true", "yes", "y", "same"}


class Command(BaseCommand):
    help = "Compare two face photos, or evaluate match error rates on a CSV of labelled pairs (JSON out)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        compare = actions.add_parser("compare", help="distance and decision for two photos")
        compare.add_argument("image_a")
        compare.add_argument("image_b")
        evaluate = actions.add_parser("evaluate", help="false match / non-match rates and EER for labelled pairs")
        evaluate.add_argument("pairs_csv")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compare":
            result = face_compare(Path(options["image_a"]), Path(options["image_b"]))
        else:
            result = face_evaluate(Path(options["pairs_csv"]))
        self.stdout.write(json.dumps(result, indent=2))


def face_compare(path_a: Path, path_b: Path) -> dict[str, Any]:
    verifier = engines.face_verifier()
    started = time.perf_counter()
    descriptor_a, descriptor_b = _descriptor(verifier, path_a), _descriptor(verifier, path_b)
    distance = float(np.linalg.norm(descriptor_a - descriptor_b))
    return {
        "image_a": str(path_a),
        "image_b": str(path_b),
        "distance": round(distance, 4),
        "decision": api.decision_for(distance),
        "engine": verifier.engine,
        "model_version": verifier.model_version,
        "milliseconds": round((time.perf_counter() - started) * 1000, 1),
    }


def face_evaluate(pairs_csv: Path) -> dict[str, Any]:
    verifier = engines.face_verifier()
    folder = pairs_csv.parent
    descriptors: dict[Path, np.ndarray] = {}
    same: list[float] = []
    different: list[float] = []
    with pairs_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"image_a", "image_b", "same_person"} <= set(rows[0]):
        raise CommandError("The CSV needs the columns image_a, image_b, same_person and at least one row.")
    for row in rows:
        pair = []
        for column in ("image_a", "image_b"):
            path = folder / row[column]
            if path not in descriptors:
                descriptors[path] = _descriptor(verifier, path)
            pair.append(descriptors[path])
        distance = float(np.linalg.norm(pair[0] - pair[1]))
        (same if row["same_person"].strip().lower() in TRUE_WORDS else different).append(distance)
    eer, eer_distance = _equal_error(same, different)
    return {
        "pairs": len(rows),
        "same_person_pairs": len(same),
        "different_person_pairs": len(different),
        "engine": verifier.engine,
        "model_version": verifier.model_version,
        "at_match_max_distance": _rates(same, different, settings.FACE_MATCH_MAX_DISTANCE),
        "at_review_max_distance": _rates(same, different, settings.FACE_REVIEW_MAX_DISTANCE),
        "equal_error_rate": round(eer, 4),
        "equal_error_distance": round(eer_distance, 4),
    }


def _descriptor(verifier: engines.FaceVerifier, path: Path) -> np.ndarray:
    try:
        rgb = media.image_load(path.read_bytes())
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    except media.MediaProblem as problem:
        raise CommandError(f"{path}: {problem.reason_code}") from problem
    faces = verifier.find_faces(rgb)
    if not faces:
        raise CommandError(f"{path}: no face found")
    return verifier.descriptor(rgb, max(faces, key=lambda f: f.area))


def _rates(same: list[float], different: list[float], threshold: float) -> dict[str, float | None]:
    false_match = sum(d <= threshold for d in different) / len(different) if different else None
    false_non_match = sum(d > threshold for d in same) / len(same) if same else None
    return {"distance": threshold, "false_match_rate": false_match, "false_non_match_rate": false_non_match}


def _equal_error(same: list[float], different: list[float]) -> tuple[float, float]:
    """The error rate where false matches and false non-matches are equal, and the distance there."""
    if not same or not different:
        return 0.0, 0.0
    values = sorted({*same, *different})
    candidates = sorted({*values, *((a + b) / 2 for a, b in itertools.pairwise(values))})
    scored = []
    for threshold in candidates:
        fmr = sum(d <= threshold for d in different) / len(different)
        fnmr = sum(d > threshold for d in same) / len(same)
        scored.append((abs(fmr - fnmr), (fmr + fnmr) / 2, threshold))
    best_gap = min(s[0] for s in scored)
    best = [s for s in scored if s[0] == best_gap]
    lowest = min(s[1] for s in best)
    tied = [s[2] for s in best if s[1] == lowest]
    return lowest, (min(tied) + max(tied)) / 2
