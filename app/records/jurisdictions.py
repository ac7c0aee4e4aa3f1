"""US states, DC and territories by postal code: the jurisdictions an audit can cover."""

from __future__ import annotations

from app.errors import UserFacingError

JURISDICTIONS: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico", "VI": "U.S. Virgin Islands",
}


def normalise_jurisdiction(code: str) -> str:
    """The upper-case postal code for `code`, or an error listing how to write one."""
    cleaned = (code or "").strip().upper()
    if cleaned in JURISDICTIONS:
        return cleaned
    for known, name in JURISDICTIONS.items():
        if cleaned == name.upper():
            return known
    raise UserFacingError(
        f"unknown jurisdiction {code!r}: give a two-letter postal code of a state, DC or a "
        "territory, such as WA or PR")


COMMONWEALTHS = {"KY", "MA", "PA", "VA"}
FORMAL_NAMES = {
    "DC": "the District of Columbia",
    "PR": "the Commonwealth of Puerto Rico",
    "MP": "the Commonwealth of the Northern Mariana Islands",
    "GU": "Guam",
    "AS": "American Samoa",
    "VI": "the United States Virgin Islands",
}


def jurisdiction_name(code: str) -> str:
    """The jurisdiction's common name ("Washington"), or the code when it is unknown."""
    return JURISDICTIONS.get(code, code)


def formal_name(code: str) -> str:
    """The jurisdiction as a sentence names it: "the State of Washington", "Guam"."""
    if code in FORMAL_NAMES:
        return FORMAL_NAMES[code]
    name = jurisdiction_name(code)
    return f"the {'Commonwealth' if code in COMMONWEALTHS else 'State'} of {name}"
