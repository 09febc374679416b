"""The pure cadence module: conditions from diagnoses, one patient's rules, what is due."""

import datetime as dt

import pytest

from dendrite.outcomes import cadence
from dendrite.outcomes.cadence import EVERY_DAYS, EVERY_VISIT, Change, Rule

PLAN = [
    Rule("phq-9", EVERY_VISIT, None, "depression"),
    Rule("c-ssrs-screener", EVERY_VISIT, None, "depression"),
    Rule("gad-7", EVERY_VISIT, None, "anxiety"),
    Rule("audit-c", EVERY_DAYS, 30, "alcohol"),
    Rule(cadence.DIARY, EVERY_DAYS, 1, "alcohol"),
    Rule("pcl-5", EVERY_DAYS, 30, "ptsd"),
]
AT = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["F32.1"], {"depression"}),
        (["F33.2"], {"depression"}),
        (["F41.1"], {"anxiety"}),
        (["F10.20"], {"alcohol"}),
        (["F43.10"], {"ptsd"}),
        (["F43.2"], set()),  # adjustment disorder is not PTSD
        (["f32.a", "F10.10"], {"depression", "alcohol"}),
        (["F31.4"], set()),
        ([], set()),
    ],
)
def test_conditions_come_from_the_icd10_prefixes_in_the_data_file(codes, expected):
    assert cadence.conditions_of(codes) == expected


def test_the_mapping_can_be_given_as_data():
    assert cadence.conditions_of(["X99.1"], {"other": ["X99"]}) == {"other"}


def test_a_patient_gets_the_rules_of_their_conditions_in_answering_order():
    rules = cadence.patient_rules(PLAN, {"alcohol", "depression"})
    assert [r.instrument for r in rules] == ["phq-9", "c-ssrs-screener", "audit-c", cadence.DIARY]


def test_two_conditions_asking_one_instrument_keep_the_more_frequent_cadence():
    plan = [Rule("gad-7", EVERY_DAYS, 30, "anxiety"), Rule("gad-7", EVERY_VISIT, None, "ptsd")]
    assert cadence.patient_rules(plan, {"anxiety", "ptsd"}) == [
        Rule("gad-7", EVERY_VISIT, None, "ptsd")
    ]


def test_a_prescriber_may_remove_add_or_change_an_instrument_for_one_patient():
    changes = [
        Change("c-ssrs-screener", removed=True),
        Change("gad-7"),
        Change("phq-9", cadence=EVERY_DAYS, every_days=14),
    ]
    rules = cadence.patient_rules(PLAN, {"depression"}, changes)
    assert rules == [Rule("phq-9", EVERY_DAYS, 14), Rule("gad-7", EVERY_VISIT)]


def test_removing_an_instrument_the_plan_does_not_ask_changes_nothing():
    rules = cadence.patient_rules(PLAN, {"depression"}, [Change("pcl-5", removed=True)])
    assert [r.instrument for r in rules] == ["phq-9", "c-ssrs-screener"]


VISIT = Rule("phq-9", EVERY_VISIT)
MONTHLY = Rule("audit-c", EVERY_DAYS, 30)


@pytest.mark.parametrize(
    ("rule", "last", "previous_visit", "is_due"),
    [
        (VISIT, None, None, True),  # never answered
        (VISIT, AT - 30 * DAY, None, True),  # the first visit: asked, whatever came before
        (VISIT, AT - 3 * DAY, AT - 2 * DAY, True),  # answered before the previous visit
        (VISIT, AT - 2 * DAY, AT - 2 * DAY, True),  # answered for the previous visit itself
        (VISIT, AT - DAY, AT - 2 * DAY, False),  # answered since: for this visit already
        (MONTHLY, None, None, True),
        (MONTHLY, AT - 29 * DAY, None, False),  # one day short of 30
        (MONTHLY, AT - 30 * DAY, None, True),  # exactly 30 days
        (MONTHLY, AT - 31 * DAY, AT - DAY, True),
        (MONTHLY, AT - DAY, AT - 2 * DAY, False),  # visits do not matter to a monthly one
    ],
)
def test_what_is_due(rule, last, previous_visit, is_due):
    answered = {rule.instrument: last} if last else {}
    assert (cadence.due([rule], answered, AT, previous_visit) == [rule.instrument]) is is_due


def test_due_keeps_the_answering_order_and_lists_the_diary():
    rules = cadence.patient_rules(PLAN, {"depression", "alcohol"})
    answered = {"audit-c": AT - 5 * DAY}
    assert cadence.due(rules, answered, AT) == ["phq-9", "c-ssrs-screener", cadence.DIARY]


def test_check_ins_fall_30_90_and_180_days_after_the_series():
    end = dt.date(2026, 1, 1)
    assert cadence.check_in_dates(end, [90, 30, 180]) == [
        (30, dt.date(2026, 1, 31)),
        (90, dt.date(2026, 4, 1)),
        (180, dt.date(2026, 6, 30)),
    ]


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (dt.date(2026, 1, 30), []),  # the day before
        (dt.date(2026, 1, 31), [30]),  # the day itself
        (dt.date(2026, 2, 6), [30]),  # the last day it could still be answered
        (dt.date(2026, 2, 7), []),  # too late: it was missed, not sent late
        (dt.date(2026, 4, 1), [90]),
    ],
)
def test_a_check_in_is_due_from_its_day_for_as_long_as_it_stays_open(today, due):
    assert cadence.check_ins_due(dt.date(2026, 1, 1), [30, 90, 180], today, 7) == due
