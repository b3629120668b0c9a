"""What a stranger sends: one value of a case made hostile (lone surrogates, NUL and other
control characters, blank-looking names, digits that are not 0-9, ids past 64 bits, years 1
and 9999, loose date spellings), or a whole JSON body that is nested thousands deep or no
JSON at all. Applied on top of real intakes and bookings, so the bad value gets deep."""

import json
import re

from hypothesis import strategies as st

INT64 = 2**63
TEXTS = ["\ud800", "a\udfffb", "\x00", "a\x00b", "\x07bell", "\x1b[31m", "\r\nX-Injected: 1",
         "   ", "\u3000", "\u00a0", "\t\n", "\u200b", "\ufeff", "\u202e", "e\u0301",
         "x" * 5000, "%00", "'; --", "\\u0000"]
INTEGERS = [INT64, INT64 + 1, 2**64, -INT64 - 1, -1, 10**30, 1.5, 1e308, True, "1", None]
DATES = ["0001-01-01", "9999-12-31", "0000-01-01", "2026-1-1", "20260101", "2026-02-30",
         "2026-12-01T10:00:00+09:00", "", " 2026-12-01", "２０２６-１２-０１", "\ud800"]
TIMES = ["0001-01-01T00:00:00+09:00", "0001-01-01T00:00:00+14:00",
         "9999-12-31T23:59:59+09:00", "9999-12-31T23:59:59-14:00", "2026-12-01T10:00:00",
         "2026-12-01T10:00:00+24:00", "2026-12-01", "2026-12-01T10:00:00.123456789+09:00",
         "\ud800", 1764550800]
QUERY_IDS = ["²", "①", "٣", "９", "9223372036854775808", "18446744073709551616", "-1", "0",
             "1e3", " 1", "0x10", "00000000000000000000001"]
QUERY_DATES = ["0001-01-01", "9999-12-31", "2026-1-1", "20260101", "", "2026-W01-1",
               "２０２６-１２-０１", "2026-12-01T00:00:00"]
DEPTH = 1000
RAW_BODIES = [b"[" * DEPTH + b"]" * DEPTH, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
              b"[" * 100_000, b'"\\ud800"', b'{"x": "\\udc00"}', b"\xff\xfe", b"NaN",
              b'{"a": 1e999}', b"\x00", b"", b"  ", b"{" + b'"k":1,' * 50_000 + b'"k":2}',
              b"[" + b"0," * 600_000 + b"0]"]  # the last is over the 1 MB limit
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _spots(case) -> list[tuple[object, object, str]]:
    """(container, key, kind) of every value that can be made hostile."""
    spots = []
    for name in case.path_parameters or {}:
        spots.append((case.path_parameters, name, "path"))
    for name in case.query or {}:
        spots.append((case.query, name, "query"))

    def walk(container, depth):
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in list(items):
            spots.append((container, key, "json"))
            if isinstance(value, dict | list) and depth < 2:
                walk(value, depth + 1)

    if isinstance(case.body, dict | list):
        walk(case.body, 0)
    return spots


def _replacement(value, kind: str) -> st.SearchStrategy:
    text = value if isinstance(value, str) else ""
    if kind == "path":
        if isinstance(value, int):
            return st.sampled_from([INT64, 2**64, 10**30])
        return st.sampled_from(["\x00", "a\x00b", "²", "%", "x" * 5000])
    if kind == "query":
        if _DATE.match(text):
            return st.sampled_from(QUERY_DATES)
        return st.sampled_from(QUERY_IDS + ["\x00", "\u3000", "x" * 5000])
    if isinstance(value, bool | int):
        return st.sampled_from(INTEGERS)
    if _TIME.match(text):
        return st.sampled_from(TIMES)
    if _DATE.match(text):
        return st.sampled_from(DATES)
    return st.sampled_from(TEXTS + [[], {}, 0])


@st.composite
def hostile(draw, case):
    """The case with one value (or, for a JSON body, sometimes the whole body) made hostile."""
    spots = _spots(case)
    takes_json = case.media_type == "application/json"
    if takes_json and (not spots or draw(st.integers(0, 4)) == 0):
        case.body = draw(st.sampled_from(RAW_BODIES))
        return case
    if not spots:
        return case
    container, key, kind = draw(st.sampled_from(spots))
    new = draw(_replacement(container[key], kind))
    if kind != "json":
        new = str(new) if not isinstance(new, str) else new
    container[key] = new
    if isinstance(new, str) and _SURROGATE.search(new):
        # Sent as the JSON text a client would send ("\ud800"): schemathesis cannot
        # re-validate a body holding a lone surrogate, so it goes as raw bytes.
        case.body = json.dumps(case.body).encode()
    return case
