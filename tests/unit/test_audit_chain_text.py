"""An event's snapshots are encoded once, and that text is what is hashed and
stored: the hash is the one the whole event's canonical text gives, for any
values at all, so `keywork check` reading the row back agrees with it."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from models.audit_chain import GENESIS, HASHED, Encoded, canonical, chain_hash, encoded
from models.base import JSONField

# Text that tries to look like the event's own keys, quotes and escapes included.
TRICKY = st.text() | st.sampled_from(['","at":"', ',"child_id":1', "\\", '"', "é\n", '\\",'])
SNAPSHOT = st.none() | st.dictionaries(
    TRICKY, st.none() | TRICKY | st.integers() | st.booleans() | st.datetimes(), max_size=4
)
EVENTS = st.fixed_dictionaries(
    {
        "at": st.datetimes(),
        "staff_id": st.none() | st.integers(),
        "staff_name": TRICKY,
        "home_id": st.none() | st.integers(),
        "action": TRICKY,
        "table": TRICKY,
        "record_id": st.none() | st.integers(),
        "child_id": st.none() | st.integers(),
        "before": SNAPSHOT,
        "after": SNAPSHOT,
    }
)


@given(EVENTS)
def test_the_hash_of_encoded_snapshots_is_the_hash_of_the_whole_event(event) -> None:
    whole = chain_hash(GENESIS, event)
    once = dict(event, before=encoded(event["before"]), after=encoded(event["after"]))
    assert chain_hash(GENESIS, once) == whole
    # Read back from the row (JSON parsed), as the check reads it.
    stored = {
        side: None if once[side] is None else json.loads(str(once[side]))
        for side in ("before", "after")
    }
    read_back = dict(event, **stored)
    assert canonical({n: read_back[n] for n in HASHED}) == canonical({n: event[n] for n in HASHED})


def test_a_snapshot_is_stored_as_the_text_that_was_hashed() -> None:
    text = encoded({"mood": "calm", "updated_at": dt.datetime(2026, 3, 4, 21, 30)})
    assert isinstance(text, Encoded)
    assert JSONField().db_value(text) == '{"mood":"calm","updated_at":"2026-03-04 21:30:00"}'
    assert type(JSONField().db_value(text)) is str  # the drivers take plain text


# Values of kinds a write does not give: the event's time as text or a day, a
# yes/no where a number goes. They are written by the encoder itself.
ODD_EVENTS = st.fixed_dictionaries(
    {
        "at": st.dates() | st.text(),
        "staff_id": st.booleans() | st.floats(allow_nan=False),
        "staff_name": TRICKY,
        "home_id": st.none() | st.integers(),
        "action": TRICKY,
        "table": st.none(),
        "record_id": st.text(),
        "child_id": st.booleans(),
        "before": SNAPSHOT,
        "after": SNAPSHOT,
    }
)


@given(ODD_EVENTS)
def test_values_of_any_kind_hash_as_the_whole_event(event) -> None:
    once = dict(event, before=encoded(event["before"]), after=encoded(event["after"]))
    assert chain_hash(GENESIS, once) == chain_hash(GENESIS, event)
