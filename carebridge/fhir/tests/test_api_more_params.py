"""The in-memory and JSON search parameters of US Core's other types, on any text a client may
send: a match, no match, or a 400 naming the parameter; never anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from carebridge.fhir.api.errors import BadParameterError
from carebridge.fhir.api.more_params import (
    AddressParam,
    CodeableParam,
    JsonDate,
    ReferenceParam,
    StringParam,
)

ORGANIZATION: dict[str, Any] = {
    "resourceType": "Organization",
    "name": "Riverside Family Practice",
    "alias": ["RFP"],
    "address": [{"line": ["1 River Road"], "city": "Springfield", "state": "MA"}],
    "specialty": [{"coding": [{"system": "http://nucc.org", "code": "207Q00000X"}]}],
    "practitioner": {"reference": "Practitioner/abc"},
}
PARAMS = [
    StringParam("name"),
    AddressParam(),
    CodeableParam("specialty"),
    ReferenceParam("practitioner"),
]


@given(st.text(max_size=40))
def test_any_value_matches_or_not_or_is_a_400(raw: str) -> None:
    for param in PARAMS:
        try:
            assert param.matches("p", raw, ORGANIZATION) in (True, False)
        except BadParameterError as error:
            assert error.status == 400
            assert error.message.startswith("p: ")


@given(st.text(max_size=40))
def test_any_date_is_a_filter_or_a_400(raw: str) -> None:
    try:
        JsonDate("authoredOn").query("authored", raw)
    except BadParameterError as error:
        assert error.message.startswith("authored: ")


def test_string_searches_start_words_ignoring_case() -> None:
    name = StringParam("name")
    assert [name.matches("name", raw, ORGANIZATION) for raw in ("river", "RFP", "family")] == [
        True,
        True,
        False,
    ]
    address = AddressParam()
    assert [address.matches("a", raw, ORGANIZATION) for raw in ("spring", "1 riv", "ma,x")] == [
        True,
        True,
        True,
    ]
    assert address.matches("a", "boston", ORGANIZATION) is False


def test_a_date_filter_compares_days_as_text() -> None:
    query = JsonDate("authoredOn").query("authored", "ge2024-03-02")
    assert str(query) == "(OR: ('pk__in', []), ('resource__authoredOn__gte', '2024-03-02'))"
