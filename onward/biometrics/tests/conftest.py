import pytest

from onward.biometrics import api
from onward.biometrics.tests.clips import photo_bytes


@pytest.fixture(scope="session")
def templates() -> dict[str, bytes]:
    """Enrolled templates of every fixture person, made once for the whole run."""
    made = {}
    for name in ("obama_1", "obama_2", "obama_3", "biden", "grace_hopper", "eileen_collins"):
        outcome = api.enrol_reference_photo(photo_bytes(name))
        assert outcome.ok, (name, outcome.reason_code)
        assert outcome.template is not None
        made[name] = outcome.template
    return made
