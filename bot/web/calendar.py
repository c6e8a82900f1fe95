"""`/calendar/<alley-code>.ics`: an alley's collections for a phone's calendar to subscribe to.

Phones fetch the same feed again and again: each is made once and kept while the alley's
schedule stays the same and no collection in it has passed (made again at least hourly, as the
window's far end moves), and a phone that already has it gets a 304.
The schedule is read on a read-only path, so that no fetch waits for, or holds up, a writer.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.chat.i18n import Catalogues
from bot.chat.render import kinds_named
from bot.features.bell.ics import alley_calendar, collections_ahead
from bot.web.rate import RateLimit
from core.calendar import Holidays
from core.clock import Clock
from core.model import AlleySchedule
from core.ports import UnitOfWorkFactory

PATH = "/calendar/{code}.ics"
# As the seed file allows; anything else cannot be an alley, so the database is not asked.
ALLEY_CODE = re.compile(r"[A-Za-z0-9_-]{1,48}")
PER_MINUTE = 30  # a phone refreshes a subscribed calendar a few times a day
FRESH_FOR = timedelta(hours=1)  # the 90 days' far end moves: a collection may come into view


@dataclass(frozen=True)
class Feed:
    """An alley's calendar as last made, with what it was made from."""

    schedule: AlleySchedule
    until: datetime  # when its first collection passes, or FRESH_FOR after it was made
    body: bytes
    etag: str
    made: datetime  # in whole seconds, as Last-Modified carries it

    def headers(self) -> dict[str, str]:
        return {"ETag": self.etag, "Last-Modified": format_datetime(self.made, usegmt=True)}

    def held_by(self, request: Request) -> bool:
        """Whether the client already has this very calendar (If-None-Match, else
        If-Modified-Since)."""
        tags = request.headers.get("if-none-match")
        if tags is not None:
            return tags.strip() == "*" or self.etag in (t.strip() for t in tags.split(","))
        since = request.headers.get("if-modified-since")
        if since is None:
            return False
        try:
            return self.made <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False  # an unreadable date is ignored, as HTTP says


def calendar_route(
    reads: UnitOfWorkFactory,
    holidays: Holidays,
    clock: Clock,
    *,
    catalogues: Catalogues | None = None,
    per_minute: int = PER_MINUTE,
) -> Route:
    """A route serving each alley's coming collections as iCalendar, in vi unless asked for en.

    The language is `?lang=` if given, else the client's Accept-Language, else the first one
    the catalogues hold. `reads` must be a read-only path to the database.
    """
    words = catalogues or Catalogues()
    limit = RateLimit(per_minute)
    feeds: dict[tuple[str, str], Feed] = {}

    async def find_schedule(code: str) -> AlleySchedule | None:
        if not ALLEY_CODE.fullmatch(code):
            return None
        async with reads() as uow:
            alley = await uow.alleys.by_code(code)
            return await uow.alleys.schedule(alley) if alley else None

    async def serve_calendar(request: Request) -> Response:
        language = words.pick(
            request.query_params.get("lang"),
            request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip(),
            words.languages[0],
        )
        _ = words.get(language).gettext
        wait = limit.wait(request.client.host if request.client else "", clock.now())
        if wait:
            return PlainTextResponse(
                _("Too many requests: try again in a little while."),
                status_code=429,
                headers={"Retry-After": str(math.ceil(wait))},
            )
        schedule = await find_schedule(request.path_params["code"])
        if schedule is None:
            return PlainTextResponse(_("No alley has this code."), status_code=404)
        alley, now = schedule.alley, clock.now()
        feed = feeds.get((alley.code, language))
        if feed is None or feed.schedule != schedule or now > feed.until:
            collections = collections_ahead(schedule, now, holidays)
            until = min([now + FRESH_FOR, *(c.at for c in collections)])
            body = alley_calendar(
                alley,
                collections,
                summary=_("Garbage collection: {alley}").format(alley=alley.name),
                calendar_name=_("Garbage collection calendar: {alley}").format(alley=alley.name),
                stamp=now,
                kinds=functools.partial(kinds_named, _),
            )
            etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
            made = now.astimezone(UTC).replace(microsecond=0)
            feed = feeds[(alley.code, language)] = Feed(schedule, until, body, etag, made)
        if feed.held_by(request):
            return Response(status_code=304, headers=feed.headers())
        return Response(
            feed.body,
            media_type="text/calendar; charset=utf-8",
            headers={
                **feed.headers(),
                "Content-Disposition": f'attachment; filename="{alley.code}.ics"',
            },
        )

    return Route(PATH, serve_calendar, methods=["GET"])
