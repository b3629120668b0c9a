"""The booking page's month calendar: weeks of days, each with what is free on it."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_skeleton, get_day_names
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from app.main.i18n import localized
from app.zones.models import Institution, Zone

ALL, SOME, FULL, CLOSED = "all", "some", "full", "closed"


@dataclass
class CalendarDay:
    """One day of the grid: whether every chosen zone is free, some, none (full) or closed."""

    day: date
    state: str = CLOSED
    free: list[Zone] = field(default_factory=list)
    full: list[Zone] = field(default_factory=list)
    institution_days: list[Institution] = field(default_factory=list)  # preferred, free

    @property
    def selectable(self) -> bool:
        return self.state != CLOSED

    def label(self) -> str:
        """The day's accessible name: its full date and what is free on it."""
        words = [format_date(self.day, "full")]
        if self.free:
            names = "·".join(localized(z.name, z.name_en) for z in self.free)
            words.append(_("%(zones)s free", zones=names))
        if self.state == FULL:
            words.append(_("Full · join the waitlist"))
        elif self.full:
            names = "·".join(localized(z.name, z.name_en) for z in self.full)
            words.append(_("%(zones)s full", zones=names))
        words += [institution_day(i) for i in self.institution_days]
        if self.state == CLOSED:
            words.append(_("no free time"))
        return ", ".join(words)


def institution_day(institution: Institution) -> str:
    """'기술보증기금 상담일': a day an institution's adviser is on duty with free time."""
    return _("%(institution)s day",
             institution=localized(institution.name, institution.name_en))


@dataclass
class Month:
    """A month of the calendar as weeks from Monday; None pads the first and last week."""

    first: date
    weeks: list[list[CalendarDay | None]]
    previous: date | None = None  # the first day of the month before, if it has open days
    next: date | None = None

    @property
    def title(self) -> str:
        return format_skeleton("yMMMM", self.first, locale=get_locale())


def month_grid(first: date, days: dict[date, CalendarDay]) -> Month:
    """The month that holds `first`, with the days known from `days` (others closed)."""
    first = first.replace(day=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return Month(first, [[(days.get(d) or CalendarDay(d)) if d.month == first.month else None
                          for d in week] for week in weeks])


def weekday_names() -> list[tuple[str, str]]:
    """(abbreviated, full) weekday names from Monday, in the page's language."""
    locale = get_locale()
    short, wide = (get_day_names(width, locale=locale) for width in ("abbreviated", "wide"))
    return [(short[weekday], wide[weekday]) for weekday in range(7)]
