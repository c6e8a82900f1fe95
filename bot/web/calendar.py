"""`/calendar/<alley-code>.ics`: an alley's collections for a phone's calendar to subscribe to."""

from __future__ import annotations

import functools
import re

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.chat.i18n import Catalogues
from bot.chat.render import kinds_named
from bot.features.bell.ics import alley_calendar, collections_ahead
from core.calendar import Holidays
from core.clock import Clock
from core.model import AlleySchedule
from core.ports import UnitOfWorkFactory

PATH = "/calendar/{code}.ics"
# As the seed file allows; anything else cannot be an alley, so the database is not asked.
ALLEY_CODE = re.compile(r"[A-Za-z0-9_-]{1,48}")


def calendar_route(
    uow_factory: UnitOfWorkFactory,
    holidays: Holidays,
    clock: Clock,
    *,
    catalogues: Catalogues | None = None,
) -> Route:
    """A route serving each alley's coming collections as iCalendar, in vi unless asked for en.

    The language is `?lang=` if given, else the client's Accept-Language, else the first one
    the catalogues hold.
    """
    words = catalogues or Catalogues()

    async def find_schedule(code: str) -> AlleySchedule | None:
        if not ALLEY_CODE.fullmatch(code):
            return None
        async with uow_factory() as uow:
            alley = await uow.alleys.by_code(code)
            return await uow.alleys.schedule(alley) if alley else None

    async def serve_calendar(request: Request) -> Response:
        language = words.pick(
            request.query_params.get("lang"),
            request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip(),
            words.languages[0],
        )
        _ = words.get(language).gettext
        schedule = await find_schedule(request.path_params["code"])
        if schedule is None:
            return PlainTextResponse(_("No alley has this code."), status_code=404)
        alley, now = schedule.alley, clock.now()
        body = alley_calendar(
            alley,
            collections_ahead(schedule, now, holidays),
            summary=_("Garbage collection: {alley}").format(alley=alley.name),
            calendar_name=_("Garbage collection calendar: {alley}").format(alley=alley.name),
            stamp=now,
            kinds=functools.partial(kinds_named, _),
        )
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{alley.code}.ics"'},
        )

    return Route(PATH, serve_calendar, methods=["GET"])
