import pytest

from onward.organisations.models import UnitKind
from onward.organisations.selectors import units_under

pytestmark = pytest.mark.django_db


def test_units_under_the_given_units_only_and_of_the_kinds_asked(org):
    north = set(units_under([org["north"].path]))
    assert {org["ngt"], org["wing_a"], org["office_n"], org["pdu_n"]} <= north
    assert org["stn"] not in north
    assert org["south"] not in north
    assert set(units_under([org["north"].path, org["south"].path], [UnitKind.PRISON])) == {org["ngt"], org["stn"]}
    assert not units_under([]).exists()
