"""Operators' voice tools: compare two recordings, or measure error rates on a list of labelled pairs.

    manage.py voice compare A.wav B.webm
    manage.py voice evaluate pairs.csv     (columns: audio_a, audio_b, same_person; paths relative
                                           to the CSV file; same_person is 1/0, true/false, yes/no)
Both print JSON, so an operator can calibrate VOICE_MATCH_MIN_SIMILARITY and
VOICE_REVIEW_MIN_SIMILARITY on their own recordings. A recording without enough clear speech is
listed under "retry" and left out of the rates, as a check-in would ask for it again.
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

from onward.biometrics import voice

TRUE_WORDS = {"1", "true", "yes", "y", "same"}


class Command(BaseCommand):
    help = "Compare two voice recordings, or evaluate error rates on a CSV of labelled pairs (JSON out)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        compare = actions.add_parser("compare", help="similarity and decision for two recordings")
        compare.add_argument("audio_a")
        compare.add_argument("audio_b")
        evaluate = actions.add_parser("evaluate", help="false match / non-match rates and EER for labelled pairs")
        evaluate.add_argument("pairs_csv")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compare":
            result = voice_compare(Path(options["audio_a"]), Path(options["audio_b"]))
        else:
            result = voice_evaluate(Path(options["pairs_csv"]))
        self.stdout.write(json.dumps(result, indent=2))


def voice_compare(path_a: Path, path_b: Path) -> dict[str, Any]:
    verifier = voice.voice_verifier()
    started = time.perf_counter()
    embedding_a, embedding_b = _embedding(verifier, path_a), _embedding(verifier, path_b)
    if isinstance(embedding_a, str) or isinstance(embedding_b, str):
        similarity, decision = None, "retry"
    else:
        similarity = round(float(embedding_a @ embedding_b), 4)
        decision = voice.decision_for(similarity)
    return {
        "audio_a": str(path_a),
        "audio_b": str(path_b),
        "similarity": similarity,
        "decision": decision,
        "problems": {str(p): e for p, e in ((path_a, embedding_a), (path_b, embedding_b)) if isinstance(e, str)},
        "engine": verifier.engine,
        "model_version": verifier.model_version,
        "milliseconds": round((time.perf_counter() - started) * 1000, 1),
    }


def voice_evaluate(pairs_csv: Path) -> dict[str, Any]:
    verifier = voice.voice_verifier()
    folder = pairs_csv.parent
    try:
        with pairs_csv.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise CommandError(f"Cannot read {pairs_csv}: {error}") from error
    if not rows or not {"audio_a", "audio_b", "same_person"} <= set(rows[0]):
        raise CommandError("The CSV needs the columns audio_a, audio_b, same_person and at least one row.")
    embeddings: dict[Path, np.ndarray | str] = {}
    same: list[float] = []
    different: list[float] = []
    retry: dict[str, str] = {}
    for row in rows:
        pair = []
        for column in ("audio_a", "audio_b"):
            path = folder / row[column]
            if path not in embeddings:
                embeddings[path] = _embedding(verifier, path)
            pair.append(embeddings[path])
        first, second = pair
        if isinstance(first, str) or isinstance(second, str):
            retry.update({row[c]: e for c, e in zip(("audio_a", "audio_b"), pair, strict=True) if isinstance(e, str)})
            continue
        similarity = float(first @ second)
        (same if row["same_person"].strip().lower() in TRUE_WORDS else different).append(similarity)
    eer, eer_similarity = equal_error(same, different)
    return {
        "pairs": len(rows),
        "same_person_pairs": len(same),
        "different_person_pairs": len(different),
        "retry": retry,
        "engine": verifier.engine,
        "model_version": verifier.model_version,
        "at_match_min_similarity": _rates(same, different, settings.VOICE_MATCH_MIN_SIMILARITY),
        "at_review_min_similarity": _rates(same, different, settings.VOICE_REVIEW_MIN_SIMILARITY),
        "equal_error_rate": round(eer, 4),
        "equal_error_similarity": round(eer_similarity, 4),
        "same_person_similarity": _spread(same),
        "different_person_similarity": _spread(different),
    }


def equal_error(same: list[float], different: list[float]) -> tuple[float, float]:
    """The error rate where false matches and false non-matches are equal, and the similarity there.

    A pair matches at a threshold when its similarity is at or above it. Where the two kinds never
    overlap the rate is 0 and the similarity is the middle of the gap.
    """
    if not same or not different:
        return 0.0, 0.0
    values = sorted({*same, *different})
    # Thresholds between neighbouring scores, and one either side of them all.
    candidates = [values[0], *((a + b) / 2 for a, b in itertools.pairwise(values)), values[-1] + 1e-9]
    scored = []
    for threshold in candidates:
        false_match = sum(s >= threshold for s in different) / len(different)
        false_non_match = sum(s < threshold for s in same) / len(same)
        scored.append((abs(false_match - false_non_match), (false_match + false_non_match) / 2, threshold))
    best_gap = min(s[0] for s in scored)
    best = [s for s in scored if s[0] == best_gap]
    lowest = min(s[1] for s in best)
    tied = [s[2] for s in best if s[1] == lowest]
    return lowest, (min(tied) + max(tied)) / 2


def _embedding(verifier: voice.VoiceVerifier, path: Path) -> np.ndarray | str:
    """The recording's embedding, or the reason code when it must be recorded again."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    try:
        return verifier.embedding(voice.speech_from_media(data))
    except voice.SpeechProblem as problem:
        return problem.reason_code


def _rates(same: list[float], different: list[float], threshold: float) -> dict[str, float | None]:
    false_match = sum(s >= threshold for s in different) / len(different) if different else None
    false_non_match = sum(s < threshold for s in same) / len(same) if same else None
    return {"similarity": threshold, "false_match_rate": false_match, "false_non_match_rate": false_non_match}


def _spread(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {"min": round(min(values), 4), "mean": round(float(np.mean(values)), 4), "max": round(max(values), 4)}
