"""Words for dates, times and the core's values, in the resident's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time

from babel.dates import format_date, get_day_names

from bot.chat.context import Context
from bot.chat.i18n import N_
from core.calendar import Change, Collection
from core.model import Alley, Role

ROLE_NAMES = {
    Role.OFFICER: N_("officer"),
    Role.ORGANISER: N_("organiser"),
    Role.ADMIN: N_("admin"),
}


KIND_NAMES = {
    "general": N_("general waste"),
    "recyclable": N_("recyclables"),
    "organic": N_("organic waste"),
    "bulky": N_("bulky waste"),
}


def hhmm(at: datetime | time) -> str:
    """A collection time as the bell says it: 24-hour, ward time."""
    return at.strftime("%H:%M")


def collection_time(collection: Collection) -> str:
    """The collection's time, or its window's start and end for a truck whose time varies."""
    return window_time(hhmm(collection.at), _hhmm(collection.until))


def window_time(at: str, until: str | None) -> str:
    return at if until is None else f"{at}\N{EN DASH}{until}"


def kinds_named(gettext: Callable[[str], str], kinds: Iterable[str]) -> str:
    """What a collection takes away, in the reader's language: "recyclables, bulky waste"."""
    return ", ".join(gettext(KIND_NAMES[k]) for k in kinds if k in KIND_NAMES)


def _hhmm(at: datetime | None) -> str | None:
    return None if at is None else hhmm(at)


def day(ctx: Context, on: date) -> str:
    """A day as residents say it, in their language: "Thứ Hai 30/11", "Monday 30/11"."""
    return day_name(on, ctx.language, ctx.now.date())


def day_name(on: date, language: str, today: date | None = None) -> str:
    """A day with its weekday; with the year when it is not `today`'s year."""
    pattern = "EEEE dd/MM" if today is None or on.year == today.year else "EEEE dd/MM/yyyy"
    text: str = format_date(on, pattern, locale=language)
    return text[:1].upper() + text[1:]


def weekdays(days: Iterable[int], language: str) -> str:
    """Weekdays (0 = Monday) by name, in their order: "Monday, Wednesday, Friday"."""
    names = get_day_names("wide", locale=language)
    return ", ".join(names[d][:1].upper() + names[d][1:] for d in sorted(days))


def alley_name(alley: Alley) -> str:
    return f"{alley.name} ({alley.ward.name})"


def next_collection(ctx: Context, collection: Collection | None) -> str:
    _ = ctx._
    if collection is None:
        return _("No collection is planned for this alley yet.")
    return _("Next collection: {day} at {time}.").format(
        day=day(ctx, collection.at.date()), time=collection_time(collection)
    )


def collection_line(ctx: Context, collection: Collection) -> str:
    """One line of /schedule, saying what is collected and why a collection moved or will not
    happen."""
    line = _collection_line(ctx, collection)
    if collection.kinds and collection.happens:
        line += " — " + kinds_named(ctx._, collection.kinds)
    return line


def _collection_line(ctx: Context, collection: Collection) -> str:
    _ = ctx._
    when, time = day(ctx, collection.at.date()), collection_time(collection)
    regular = collection.regular_day or collection.at.date()
    holiday = ctx.holidays.name(regular, ctx.language) or ""
    match collection.change:
        case Change.MOVED:
            return _("{day} at {time} (moved from {regular})").format(
                day=when, time=time, regular=day(ctx, regular)
            )
        case Change.SHIFTED:
            return _("{day} at {time} (moved from {regular}: {holiday})").format(
                day=when, time=time, regular=day(ctx, regular), holiday=holiday
            )
        case Change.SKIPPED:
            return _("{day}: no collection (cancelled by the ward)").format(day=when)
        case Change.HOLIDAY:
            return _("{day}: no collection ({holiday})").format(day=when, holiday=holiday)
        case _:
            return _("{day} at {time}").format(day=when, time=time)
