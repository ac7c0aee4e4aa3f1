import pytest

from app.errors import UserFacingError
from app.logs import ColumnMapping, parse_ori_patterns
from app.logs.mapping import like_pattern


def test_mapping_defaults():
    mapping = ColumnMapping()
    assert (mapping.time, mapping.ori, mapping.message_key, mapping.destination,
            mapping.result) == ("time", "ori", "message_key", "destination", "result")


def test_mapping_parse_sets_only_the_fields_given():
    mapping = ColumnMapping.parse(["time=Timestamp", " ori = Originating ORI ", "Result=Status"])
    assert mapping == ColumnMapping(time="Timestamp", ori="Originating ORI", result="Status")
    assert ColumnMapping.parse([]) == ColumnMapping()


def test_mapping_parse_keeps_an_equals_sign_in_the_column_name():
    assert ColumnMapping.parse(["result=a=b"]).result == "a=b"


@pytest.mark.parametrize(("pairs", "words"), [
    (["time"], ["'time'", "field=column"]),
    (["=Timestamp"], ["'=Timestamp'", "field=column"]),
    (["time="], ["'time='", "field=column"]),
    (["when=Timestamp"], ["unknown field 'when'", "time, ori, message_key"]),
    (["time=A", "time=B"], ["'time' twice", "'A'", "'B'"]),
])
def test_mapping_parse_rejects_bad_pairs(pairs, words):
    with pytest.raises(UserFacingError) as caught:
        ColumnMapping.parse(pairs)
    message = str(caught.value)
    assert "Fix:" in message
    for word in words:
        assert word in message


@pytest.mark.parametrize(("text", "expected"), [
    ("", ()),
    ("   ", ()),
    ("WA0340000", ("WA0340000",)),
    ("dhsice*, DHSHSI0??;WA0340000\n  wa0340000\tTC*", ("DHSICE*", "DHSHSI0??", "WA0340000",
                                                       "TC*")),
    ("wa0340000,,DC0010000;;FL*", ("WA0340000", "DC0010000", "FL*")),
    ("DHSCBP0100", ("DHSCBP0100",)),
])
def test_parse_ori_patterns(text, expected):
    assert parse_ori_patterns(text, where="agency_access row 2, ORIs concerned") == expected


@pytest.mark.parametrize("token", ["DHS-ICE", "WA_034", "ICE%", "X" * 21, "WA03[4]", "ÉTAT01",
                                   "listed", "evidence", "IN", "*", "*ICE*", "WA03", "ICE",
                                   "WA0340000000", "DHSICE00000*"])
def test_parse_ori_patterns_rejects_bad_tokens(token):
    with pytest.raises(UserFacingError) as caught:
        parse_ori_patterns(f"WA0340000, {token}", where="agency_access row 2, ORIs concerned")
    message = str(caught.value)
    assert message.startswith("agency_access row 2, ORIs concerned: ")
    assert repr(token) in message
    assert "Fix:" in message


@pytest.mark.parametrize(("pattern", "like"), [
    ("WA0340000", "WA0340000"),
    ("dhsice*", "DHSICE%"),
    ("DHS??01*", "DHS__01%"),
    ("A_B%C", "A\\_B\\%C"),
])
def test_like_pattern(pattern, like):
    assert like_pattern(pattern) == like
