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


def checkpoint_of(rows: list[tuple[int, str, str, dict]]) -> chain.Checkpoint:
    entry_id, _, digest, _ = rows[-1]
    return chain.Checkpoint("2026-03-02T14:00:00+00:00", entry_id, digest, len(rows)).signed(KEY)


def test_a_chain_cut_after_its_checkpoint_is_reported_at_the_missing_entry():
    rows = build([{"action": "a"}, {"action": "b"}, {"action": "c"}])
    anchor = checkpoint_of(rows)
    assert chain.verify(KEY, rows[:2]) is None  # the chain alone cannot tell
    broken = chain.verify(KEY, rows[:2], [anchor])
    assert broken is not None and broken.entry_id == 3
    assert "removed" in broken.reason


def test_a_chain_rebuilt_with_the_key_without_an_entry_does_not_match_its_checkpoint():
    rows = build([{"action": "a"}, {"action": "b"}, {"action": "c"}])
    anchor = checkpoint_of(rows)
    first, last = build([{"action": "a"}, {"action": "c"}])
    rebuilt = [first, (3, *last[1:])]  # "b" gone, "c" re-linked under its old id
    assert chain.verify(KEY, rebuilt) is None
    broken = chain.verify(KEY, rebuilt, [anchor])
    assert broken is not None and broken.entry_id == 3
    assert "replaced" in broken.reason


def test_an_intact_chain_matches_every_checkpoint_of_its_history():
    rows = build([{"action": letter} for letter in "abcde"])
    anchors = [checkpoint_of(rows[:length]) for length in (1, 3, 5)]
    assert chain.verify(KEY, rows, anchors) is None


def test_a_checkpoint_is_genuine_only_with_the_key_and_survives_a_round_trip():
    anchor = checkpoint_of(build([{"action": "a"}]))
    again = chain.Checkpoint.from_line(anchor.to_line())
    assert again == anchor and again.is_genuine(KEY)
    assert not again.is_genuine("another-key")
    changed = chain.Checkpoint(anchor.at, anchor.entry_id, anchor.hash, 7, anchor.signature)
    assert not changed.is_genuine(KEY)
    assert chain.Checkpoint.from_line("{not json") is None
