"""iCalendar files for residents' phone calendars: an alley's collections, a volunteer call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration

from core.calendar import Collection, Holidays, collections_between
from core.mobilisation import VolunteerCall
from core.model import Alley, AlleySchedule

# How far ahead a calendar reaches; subscribed phones refresh it long before it runs out.
DAYS_AHEAD = 90
# A collection is an instant; phones show an event without length badly, so give it a little.
VISIT = timedelta(minutes=15)
# Subscribed calendars fetch again this often, so a skipped or moved collection shows in time.
REFRESH = timedelta(hours=12)
PRODID = "-//Urban Bell//urbanbell//VI"


def collections_ahead(
    schedule: AlleySchedule, now: datetime, holidays: Holidays, days: int = DAYS_AHEAD
) -> list[Collection]:
    """The collections that happen from `now` until `days` days later."""
    return collections_between(schedule, now, now + timedelta(days=days), holidays)


def alley_calendar(
    alley: Alley,
    collections: Sequence[Collection],
    *,
    summary: str,
    calendar_name: str,
    stamp: datetime,
    kinds: Callable[[Sequence[str]], str] | None = None,
    alarm: timedelta | None = None,
) -> bytes:
    """One VEVENT per collection, in the ward's time zone, with a VTIMEZONE for it.

    `summary` is each event's title, already in the reader's language; `kinds` words what a
    collection takes away, added to the title of those that name it. With `alarm`, each event
    reminds that long before the truck (or its time window). Each UID comes from the alley's
    code and the collection's instant, so importing the file again updates the events instead
    of doubling them; a moved collection is a new instant, hence a new event.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", alley.ward.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for collection in collections:
        title = summary
        if kinds is not None and collection.kinds:
            title = f"{summary} ({kinds(collection.kinds)})"
        event = _event(alley, collection, title, stamp)
        if alarm is not None:
            event.add_component(_alarm(title, alarm))
        calendar.add_component(event)
    if collections:
        # Only the years the events span, not the zone's whole history.
        calendar.add_missing_timezones(
            first_date=collections[0].at.date() - timedelta(days=1),
            last_date=collections[-1].at.date() + timedelta(days=1),
        )
    ical: bytes = calendar.to_ical()
    return ical


def collection_uid(alley_code: str, at: datetime) -> str:
    """The same for the same alley and instant, whenever the file is made."""
    return f"{alley_code}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}@urbanbell"


def _event(alley: Alley, collection: Collection, summary: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", collection_uid(alley.code, collection.at))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", collection.at)
    event.add("dtend", collection.until or collection.at + VISIT)
    event.add("summary", summary)
    # A truck passing by does not make the resident busy.
    event.add("transp", "TRANSPARENT")
    if alley.location is not None:
        event.add("geo", alley.location)
    return event


def _alarm(title: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -before)
    return alarm


def call_calendar(
    call: VolunteerCall, *, summary: str, description: str, stamp: datetime
) -> bytes:
    """A volunteer call as one event, in its ward's time zone, for the volunteer's calendar.

    Its UID is the call's own, so importing the file again updates the event.
    """
    zone = ZoneInfo(call.ward.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"call-{call.id}@urbanbell")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", call.starts_at.astimezone(zone))
    event.add("dtend", call.ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("description", description)
    if call.place:
        event.add("location", call.place)
    if call.location is not None:
        event.add("geo", call.location)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=call.starts_at.date() - timedelta(days=1),
        last_date=call.ends_at.date() + timedelta(days=1),
    )
    ical: bytes = calendar.to_ical()
    return ical
