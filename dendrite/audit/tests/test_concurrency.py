"""Twenty writers at once, on PostgreSQL: no one waits for the chain, and the chain that
the chainer builds meanwhile and afterwards has every entry once, in order, and verifies."""

import threading

import pytest
from django.db import connection, connections

from dendrite.audit.log import chain_pending, record, verify_chain
from dendrite.audit.models import AuditEvent

WRITERS = 20
EACH = 15


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_yield_one_chain_without_gaps_or_repeats(nurse):
    start = threading.Barrier(WRITERS + 2)
    writing = threading.Event()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for each in range(EACH):
                record(f"test.writer{number}.{each}", user=nurse)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def chainer() -> None:  # the scheduler's job, running while the writers write
        try:
            start.wait()
            while writing.is_set():
                chain_pending(batch_size=7)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    writing.set()
    writers = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    chaining = threading.Thread(target=chainer)
    for thread in [*writers, chaining]:
        thread.start()
    start.wait()
    for thread in writers:
        thread.join()
    writing.clear()
    chaining.join()
    chain_pending()
    assert errors == []
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "action"))
    assert [seq for seq, _ in rows] == list(range(1, WRITERS * EACH + 1))
    assert len({action for _, action in rows}) == WRITERS * EACH
    assert verify_chain() is None
