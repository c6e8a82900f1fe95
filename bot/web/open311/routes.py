"""The GeoReport v2 endpoints: discovery, services, requests (read and filed) and tokens.

Reads go through the read-only path and never wait for a writer; a partner's report is filed
through the same use case as a chat report, so the ward's officers are told of it alike.
Nothing personal is served: no names, phones or descriptions, and positions to about 100 m.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.channels.cleaning import clean_name, clean_text
from bot.chat.i18n import Catalogues
from bot.features.reports.cards import CATEGORY_NAMES, STATE_NAMES
from bot.web.bodies import Refused, fields
from bot.web.open311.formats import FORMATS, Open311Error, answer, error, one, stamp
from bot.web.open311.params import (
    as_request,
    as_service,
    category,
    instant,
    listed,
    location,
    number,
)
from core.clock import Clock
from core.errors import (
    AlleyNotFound,
    ApiKeyNotFound,
    PlaceNotFound,
    TextTooLong,
    WardNotFound,
)
from core.open_reports import (
    file_for_partner,
    partner_of,
    place,
    public_report,
    public_reports,
    services,
)
from core.partners import Requester
from core.ports import UnitOfWorkFactory
from core.public_reports import PublicFilter, PublicReport
from core.reports import CLOSING, OPEN, ReportState
from core.triage import Draft, Triage

BASE = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = datetime(2026, 12, 5, tzinfo=UTC)  # when the endpoints last changed
DEFAULT_WINDOW = timedelta(days=90)  # the specification's default span of a query
PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000
STATUSES = {"open": OPEN, "closed": CLOSING}

Handler = Callable[[Request, str], Awaitable[Response]]


@dataclass(frozen=True)
class Open311:
    """What the endpoints need: the database's two paths, the clock and the report rules."""

    reads: UnitOfWorkFactory
    writes: UnitOfWorkFactory
    clock: Clock
    triage: Triage
    catalogues: Catalogues

    def routes(self) -> list[BaseRoute]:
        return [
            Route(f"{BASE}/discovery.{{fmt}}", self._wrap(self.discovery)),
            Route(f"{BASE}/services.{{fmt}}", self._wrap(self.services)),
            Route(f"{BASE}/services/{{code}}.{{fmt}}", self._wrap(self.service)),
            Route(f"{BASE}/requests.{{fmt}}", self._wrap(self.requests), methods=["GET", "POST"]),
            Route(f"{BASE}/requests/{{id}}.{{fmt}}", self._wrap(self.request)),
            Route(f"{BASE}/tokens/{{id}}.{{fmt}}", self._wrap(self.token)),
        ]

    def _wrap(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            fmt = request.path_params["fmt"]
            try:
                if fmt not in FORMATS:
                    raise Open311Error(404, "format must be json or xml")
                return await handler(request, fmt)
            except Open311Error as problem:
                return error(fmt, problem)

        return endpoint

    async def discovery(self, request: Request, fmt: str) -> Response:
        endpoint = {
            "specification": SPECIFICATION,
            "url": str(request.base_url).rstrip("/") + BASE,
            "changeset": stamp(CHANGESET),
            "type": "production",
            "formats": [kind.split(";")[0] for kind in FORMATS.values()],
        }
        return one(
            fmt,
            "discovery",
            {
                "changeset": endpoint["changeset"],
                "contact": "The ward's officers, through the Urban Bell chat bot.",
                "key_service": "Ask the ward's admin for a key (urbanbell apikey add).",
                "endpoints": [endpoint],
            },
        )

    async def services(self, request: Request, fmt: str) -> Response:
        _ = self.catalogues.get(self._language(request)).gettext
        listed = [as_service(kind, _(CATEGORY_NAMES[kind])) for kind in services()]
        return answer(fmt, "services", "service", listed)

    async def service(self, request: Request, fmt: str) -> Response:
        kind = category(request.path_params["code"], status=404)
        return one(fmt, "service_definition", {"service_code": kind.value, "attributes": []})

    async def requests(self, request: Request, fmt: str) -> Response:
        if request.method == "POST":
            return await self.file(request, fmt)
        filters, offset, limit = self._filters(request)
        async with self.reads() as uow:
            found = await public_reports(uow, filters, offset, limit)
        return self._requests(request, fmt, found)

    async def request(self, request: Request, fmt: str) -> Response:
        found = await self._one(request.path_params["id"])
        return self._requests(request, fmt, [found])

    async def token(self, request: Request, fmt: str) -> Response:
        # A report is filed at once: its token is its number.
        found = await self._one(request.path_params["id"])
        item = {"service_request_id": str(found.id), "token": str(found.id)}
        return answer(fmt, "service_requests", "request", [item])

    async def file(self, request: Request, fmt: str) -> Response:
        try:
            given = {k: clean_text(v).strip() for k, v in (await fields(request)).items()}
        except Refused as refused:
            raise Open311Error(
                refused.status, "the body must be a form or a JSON object"
            ) from None
        kind = category(given.get("service_code", ""), status=400)
        description = given.get("description", "")
        where = location(given)
        if where is None and not given.get("address_id"):
            raise Open311Error(400, "a location is required: lat and long, or address_id")
        name = " ".join(filter(None, (given.get("first_name"), given.get("last_name"))))
        requester = Requester(
            clean_name(name), given.get("email") or None, given.get("phone", "")[:32] or None
        )
        now = self.clock.now()
        async with self.writes() as uow:
            try:
                key = await partner_of(uow, given.get("api_key", ""))
                ward, alley_id = await place(
                    uow, given.get("jurisdiction_id"), given.get("address_id"), where
                )
                draft = Draft(kind, description, ward.id, alley_id, location=where)
                report = await file_for_partner(uow, key, requester, draft, now, self.triage)
            except ApiKeyNotFound:
                raise Open311Error(403, "api_key is missing or not valid") from None
            except PlaceNotFound:
                raise Open311Error(400, "jurisdiction_id is required: name the ward") from None
            except WardNotFound:
                raise Open311Error(400, "jurisdiction_id: no ward has this code") from None
            except TextTooLong as too_long:
                raise Open311Error(
                    400, f"description: at most {too_long.limit} characters"
                ) from None
            except AlleyNotFound:
                raise Open311Error(400, "address_id: no alley of the ward has this code") from None
            await uow.commit()
        item = {
            "service_request_id": str(report.id),
            "token": str(report.id),
            "service_notice": "",
            "account_id": None,
        }
        return answer(fmt, "service_requests", "request", [item])

    async def _one(self, given: str) -> PublicReport:
        found = None
        if given.isdigit() and len(given) < 19:
            async with self.reads() as uow:
                found = await public_report(uow, int(given))
        if found is None:
            raise Open311Error(404, f"no service request has the id {given[:40]!r}")
        return found

    def _filters(self, request: Request) -> tuple[PublicFilter, int, int]:
        query = request.query_params
        ids = listed(query.get("service_request_id"))
        if ids:
            if not all(i.isdigit() and len(i) < 19 for i in ids):
                raise Open311Error(400, "service_request_id: numbers, separated by commas")
            return PublicFilter(ids=frozenset(map(int, ids))), 0, len(ids)
        categories = frozenset(category(c, 400) for c in listed(query.get("service_code")))
        states: frozenset[ReportState] = frozenset()
        for status in listed(query.get("status")):
            if status not in STATUSES:
                raise Open311Error(400, "status: open or closed")
            states |= STATUSES[status]
        since = instant(query, "start_date")
        until = instant(query, "end_date")
        if since is None:
            since = (until or self.clock.now()) - DEFAULT_WINDOW
        page = number(query, "page", 1, 1_000_000)
        size = number(query, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
        return PublicFilter(frozenset(), categories, states, since, until), (page - 1) * size, size

    def _requests(self, request: Request, fmt: str, found: list[PublicReport]) -> Response:
        _ = self.catalogues.get(self._language(request)).gettext
        items = [
            as_request(report, _(CATEGORY_NAMES[report.category]), _(STATE_NAMES[report.state]))
            for report in found
        ]
        return answer(fmt, "service_requests", "request", items)

    def _language(self, request: Request) -> str:
        return self.catalogues.pick(
            request.query_params.get("locale") or request.query_params.get("lang"),
            request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip(),
            self.catalogues.languages[0],
        )
