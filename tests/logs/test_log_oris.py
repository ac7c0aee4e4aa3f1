"""ORIs are ORIs: a free-text ORI cell is refused, and ORIs that no agency claims are
listed by count, with the federal-looking ones flagged, so federal traffic cannot hide."""

from datetime import date
from pathlib import Path

import pytest

from app.errors import UserFacingError
from app.logs import AgencyRule, analyse_log, federal_reason, parse_ori_patterns

BLOCK = date(2025, 11, 19)
HEADER = "time,ori,message_key,result\n"


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_free_text_ori_cell_is_refused_saying_what_an_ori_looks_like():
    with pytest.raises(UserFacingError) as caught:
        parse_ori_patterns("listed in evidence", where="agency_access row 3 (CBP), ORIs")
    message = str(caught.value)
    assert message.startswith("agency_access row 3 (CBP), ORIs: 'listed' is not an ORI")
    assert "7 to 10 letters or digits" in message
    assert "WA0340000" in message and "DHSICE*" in message


@pytest.mark.parametrize(("ori", "reason"), [
    ("FBSEA0000", "FB, the Nlets line code of FBI/NCIC"),
    ("TC0000001", "TC, the Nlets line code of TECS"),
    ("DHSCBP0100", "starts with DHS (Department of Homeland Security)"),
    ("WAICE0100", "has after its state code ICE (Immigration and Customs Enforcement)"),
    ("CAHSI0000", "HSI (Homeland Security Investigations)"),
    ("WA0340000", None),
    ("WAPOLICE1", None),
    (None, None),
])
def test_federal_looking_oris(ori, reason):
    found = federal_reason(ori)
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


def test_unmatched_oris_are_listed_by_count_with_federal_ones_flagged(tmp_path):
    # The CBP row listed no usable ORI; its ten answered queries after the block must show.
    rows = [f"2025-12-{day:02},DHSCBP0100,DQ,answered" for day in range(1, 11)]
    rows += [f"2025-12-{day:02},WA0340000,DQ,answered" for day in range(1, 21)]
    rows += ["2025-10-01,DHSICE001,DQ,answered", "2025-12-01,DHSICE001,DQ,refused",
             "2025-12-02,,DQ,answered"]
    ice = AgencyRule("ice", "ICE ERO", ("DHSICE*",), BLOCK)
    cbp = AgencyRule("cbp", "CBP", ("DHSCBP001",), BLOCK)
    result = analyse_log(write(tmp_path / "log.csv", rows), [ice, cbp])

    assert result.unmatched == 31
    assert result.unmatched_ori_count == 3
    listed = {item.ori: item for item in result.unmatched_oris}
    assert [item.ori for item in result.unmatched_oris] == ["DHSCBP0100", "WA0340000", None]
    cbp_like = listed["DHSCBP0100"]
    assert (cbp_like.queries, cbp_like.answered) == (10, 10)
    assert cbp_like.after_block == {"2025-11-19": 10}
    assert cbp_like.answered_after_block == {"2025-11-19": 10}
    assert cbp_like.federal is not None and "DHS" in cbp_like.federal
    assert listed["WA0340000"].federal is None

    counted = {count.key: count for count in result.agencies}
    assert counted["cbp"].block_holds is None  # nothing of its own after the block
    assert [item.ori for item in result.hidden_traffic(counted["cbp"])] == ["DHSCBP0100"]
    assert counted["ice"].block_holds is True
    untold = result.untold(counted["cbp"])
    assert untold is not None
    assert untold.startswith("CBP: none of its listed ORIs queried after 2025-11-19")
    assert "(DHSCBP0100: 10 queries after 2025-11-19, 10 answered)" in untold
    assert "could not be told apart" in untold
    assert result.untold(counted["ice"]) is None
    lines = result.unmatched_lines()
    assert lines[0].startswith("DHSCBP0100: 10 queries, 10 answered — looks federal: starts "
                               "with DHS")
    assert lines[2] == "(no ORI): 1 query, 1 answered"
    json_entry = result.to_json()["unmatched_oris"][0]
    assert json_entry == {"ori": "DHSCBP0100", "queries": 10, "answered": 10,
                          "after_block": {"2025-11-19": 10},
                          "answered_after_block": {"2025-11-19": 10},
                          "federal": cbp_like.federal}


def test_only_the_busiest_other_oris_are_listed_but_every_federal_one(tmp_path):
    rows = [f"2025-12-01,WA{i:07},DQ,answered" for i in range(80)]
    rows += [f"2025-12-01,FB{i:07},DQ,answered" for i in range(60)]
    result = analyse_log(write(tmp_path / "log.csv", rows),
                         [AgencyRule("ice", "ICE", ("DHSICE*",), BLOCK)])
    assert result.unmatched_ori_count == 140
    assert sum(1 for item in result.unmatched_oris if item.federal) == 60
    assert sum(1 for item in result.unmatched_oris if not item.federal) == 50
