"""MASH calls back by the end of the next working day (Cambridgeshire note): weekends and bank holidays."""

from datetime import datetime, timezone

import pytest

from bot.escalation.working_days import callback_deadline, describe, next_working_day


@pytest.mark.parametrize("asked,expected", [
    # Friday 24 December 2027: Christmas and Boxing Day fall on the weekend, so Mon 27 and Tue 28 are
    # substitute bank holidays; the next working day is Wednesday 29 December.
    (datetime(2027, 12, 24, 10, 0, tzinfo=timezone.utc), "2027-12-29"),
    # Thursday 17 April 2025: Good Friday 18th, the weekend, Easter Monday 21st -> Tuesday 22 April.
    (datetime(2025, 4, 17, 15, 30, tzinfo=timezone.utc), "2025-04-22"),
    # An ordinary Monday -> Tuesday.
    (datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc), "2026-11-24"),
    # Friday -> Monday.
    (datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc), "2026-11-30"),
    # Saturday -> Monday.
    (datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc), "2026-11-30"),
    # 23:30 UTC on Sunday 28 June 2026 is already Monday in London (BST) -> Tuesday.
    (datetime(2026, 6, 28, 23, 30, tzinfo=timezone.utc), "2026-06-30"),
    # New Year's Eve 2026 (Thursday) -> Friday 1 January is a bank holiday -> Monday 4 January 2027.
    (datetime(2026, 12, 31, 12, 0, tzinfo=timezone.utc), "2027-01-04"),
])
def test_next_working_day(asked, expected):
    assert next_working_day(asked).isoformat() == expected


def test_the_practitioner_is_told_a_day_and_time():
    deadline = callback_deadline(datetime(2027, 12, 24, 10, 0, tzinfo=timezone.utc))
    assert describe(deadline) == "5pm on Wednesday 29 December 2027"
