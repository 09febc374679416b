"""The hash chain, as pure functions: any change to any entry is found."""

from hypothesis import given
from hypothesis import strategies as st

from dendrite.audit import chain

KEY = "test-key"


def build(entries: list[dict]) -> list[tuple[int, str, str, dict]]:
    rows, previous = [], chain.GENESIS
    for number, fields in enumerate(entries, start=1):
        digest = chain.entry_hash(KEY, previous, fields)
        rows.append((number, previous, digest, fields))
        previous = digest
    return rows


def test_an_untouched_chain_verifies():
    assert chain.verify(KEY, build([{"action": "a"}, {"action": "b"}])) is None


def test_an_empty_chain_verifies():
    assert chain.verify(KEY, []) is None


def test_a_changed_field_is_reported_at_that_entry():
    rows = build([{"action": "a"}, {"action": "b"}, {"action": "c"}])
    number, previous, digest, _ = rows[1]
    rows[1] = (number, previous, digest, {"action": "tampered"})
    broken = chain.verify(KEY, rows)
    assert broken is not None and broken.entry_id == 2
    assert "contents" in broken.reason


def test_a_removed_entry_breaks_the_next_link():
    rows = build([{"action": "a"}, {"action": "b"}, {"action": "c"}])
    del rows[1]
    broken = chain.verify(KEY, rows)
    assert broken is not None and broken.entry_id == 3
    assert "link" in broken.reason


def test_a_chain_rebuilt_without_the_key_does_not_verify():
    forged = []
    previous = chain.GENESIS
    for number, fields in enumerate([{"action": "a"}], start=1):
        digest = chain.entry_hash("guessed-key", previous, fields)
        forged.append((number, previous, digest, fields))
    assert chain.verify(KEY, forged) is not None


@given(
    st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3), min_size=1),
    st.data(),
)
def test_changing_any_entry_is_always_detected(entries, data):
    rows = build(entries)
    index = data.draw(st.integers(0, len(rows) - 1))
    number, previous, digest, fields = rows[index]
    changed = {**fields, "__tampered__": "x"}
    rows[index] = (number, previous, digest, changed)
    broken = chain.verify(KEY, rows)
    assert broken is not None and broken.entry_id == number
