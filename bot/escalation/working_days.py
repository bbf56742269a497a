"""When MASH will call back: the end of the next working day in England.

Weekends and England & Wales bank holidays (from the maintained `holidays` package, including
substitute days such as 27 and 28 December 2027) are not working days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
import holidays

from dialogs.uk_time import LONDON
END_OF_DAY = time(17, 0)


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.UnitedKingdom(subdiv="ENG", years=[year, year + 1])


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(moment: datetime) -> date:
    """The first working day after the day (in England) on which `moment` falls."""
    day = moment.astimezone(LONDON).date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def callback_deadline(moment: datetime, end_of_day: time = END_OF_DAY) -> datetime:
    """The end of the next working day after `moment`, as an aware London time."""
    return datetime.combine(next_working_day(moment), end_of_day, tzinfo=LONDON)


def describe(deadline: datetime) -> str:
    """'5pm on Wednesday 29 December 2027' (what the practitioner is told)."""
    local = deadline.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0")
    minutes = "" if local.minute == 0 else local.strftime(":%M")
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{minutes}{suffix} on {local.strftime('%A')} {local.day} {local.strftime('%B %Y')}"
