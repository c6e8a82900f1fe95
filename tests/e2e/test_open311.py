"""Open311 GeoReport v2 on `urbanbell run`'s web server, on SQLite and PostgreSQL: every
endpoint in JSON and XML, the filters and paging of requests, a partner's report filed then read
back (its ward's officers told as for a chat report), and every refusal in the error format."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest

from core.open_reports import issue_key, revoke_key
from core.reports import ReportState
from core.triage import change_state
from tests.e2e.telegram_harness import bot_settings, running_bot
from tests.fakes.telegram import FakeTelegram
from urbanbell.app import App

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LAN_OFFICER = 9001  # Chị Lan, officer of Phường Ninh Kiều in the demo wards
TUAN_ADMIN = 9002
HOA_ORGANISER = 9101  # an organiser of another ward: never told of Ninh Kiều's reports
NEAR_HEM_51 = ("10.02993", "105.77064")  # a pin a few metres from Hẻm 51


@dataclass
class Api:
    app: App
    client: httpx.AsyncClient
    base: str
    key: str

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(f"{self.base}/{path}", params=params)

    async def post(self, fmt: str = "json", **form: str) -> httpx.Response:
        return await self.client.post(f"{self.base}/requests.{fmt}", data={**form})

    async def file(self, **form: str) -> str:
        """File a report with the partner's key; its id."""
        lat, long = NEAR_HEM_51
        fields = {"api_key": self.key, "lat": lat, "long": long, **form}
        answer = await self.post(**fields)
        assert answer.status_code == 200, answer.text
        return str(answer.json()[0]["service_request_id"])


@asynccontextmanager
async def open311(fake: FakeTelegram, db_url: str, port: int) -> AsyncIterator[Api]:
    settings = bot_settings(fake, db_url, http_port=port)
    async with running_bot(settings) as app, httpx.AsyncClient(timeout=30) as client:
        async with app.uow() as uow:
            _, key = await issue_key(uow, "city-1022", app.clock.now())
            await uow.commit()
        api = Api(app, client, f"http://127.0.0.1:{port}/open311/v2", key)
        for _ in range(200):  # the web server starts beside the bot, a moment later
            try:
                await api.get("services.json")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
        yield api


def xml(answer: httpx.Response) -> ElementTree.Element:
    assert answer.headers["content-type"].startswith("text/xml")
    assert answer.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ElementTree.fromstring(answer.content)


def error_of(answer: httpx.Response) -> tuple[int, str]:
    """The status and the one error of an answer in the specification's error format."""
    if answer.headers["content-type"].startswith("text/xml"):
        root = xml(answer)
        assert root.tag == "errors"
        (found,) = root.findall("error")
        code, description = int(found.findtext("code") or 0), found.findtext("description")
    else:
        (only,) = answer.json()
        code, description = only["code"], only["description"]
    assert code == answer.status_code
    return code, description or ""


async def test_discovery_and_services_in_json_and_xml(
    fake: FakeTelegram, db_url: str, unused_tcp_port: int
) -> None:
    async with open311(fake, db_url, unused_tcp_port) as api:
        discovery = (await api.get("discovery.json")).json()
        discovery_xml = xml(await api.get("discovery.xml"))
        services = (await api.get("services.json")).json()
        services_en = (await api.get("services.json", locale="en")).json()
        services_xml = xml(await api.get("services.xml"))
        definition = (await api.get("services/drainage.json")).json()
        definition_xml = xml(await api.get("services/drainage.xml"))

    (endpoint,) = discovery["endpoints"]
    assert endpoint["url"] == api.base
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert discovery_xml.tag == "discovery"
    assert discovery_xml.findtext("endpoints/endpoint/url") == api.base
    formats = [f.text for f in discovery_xml.findall("endpoints/endpoint/formats/format")]
    assert formats == ["application/json", "text/xml"]

    codes = ["litter", "lighting", "drainage", "road", "other"]
    assert [s["service_code"] for s in services] == codes
    assert {s["service_code"]: s["service_name"] for s in services_en}["lighting"] == (
        "Street lighting"
    )
    assert {s["service_code"]: s["service_name"] for s in services}["lighting"] == (
        "Chiếu sáng đường phố"
    )
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    assert services_xml.tag == "services"
    assert [s.findtext("service_code") for s in services_xml.findall("service")] == codes
    assert services_xml.findtext("service/metadata") == "false"
    assert definition == {"service_code": "drainage", "attributes": []}
    assert definition_xml.tag == "service_definition"
    assert definition_xml.findtext("service_code") == "drainage"


async def test_a_partners_report_is_told_to_the_ward_and_read_back_without_personal_data(
    fake: FakeTelegram, db_url: str, unused_tcp_port: int
) -> None:
    async with open311(fake, db_url, unused_tcp_port) as api:
        filed = await api.post(
            api_key=api.key,
            service_code="drainage",
            description="Cống bị tắc trước nhà số 12, gọi 0901234567",
            lat=NEAR_HEM_51[0],
            long=NEAR_HEM_51[1],
            first_name="Nguyễn",
            last_name="Văn An",
            phone="0901234567",
        )
        assert filed.status_code == 200, filed.text
        (receipt,) = filed.json()
        number = receipt["service_request_id"]
        told = await fake.wait_for_messages(LAN_OFFICER, 1, timeout=30)
        one = await api.get(f"requests/{number}.json")
        one_xml = xml(await api.get(f"requests/{number}.xml"))
        listed = (await api.get("requests.json")).json()
        token = (await api.get(f"tokens/{receipt['token']}.json")).json()
        token_xml = xml(await api.get(f"tokens/{receipt['token']}.xml"))
        filed_xml = xml(
            await api.post("xml", api_key=api.key, service_code="road", lat="10.03", long="105.77")
        )

    assert told[0].text is not None and f"#{number}" in told[0].text
    assert fake.messages_to(HOA_ORGANISER) == []
    (read,) = one.json()
    assert read["service_request_id"] == number
    assert read["status"] == "open" and read["detailed_status"] == "new"
    assert read["service_code"] == "drainage"
    assert read["address_id"] == "nk-hem-51" and read["jurisdiction_id"] == "ninh-kieu"
    assert (read["lat"], read["long"]) == (10.03, 105.771)  # about 100 m, not the house
    assert read["requested_datetime"].endswith("Z")
    for private in ("Nguyễn", "Văn An", "0901234567", "Cống bị tắc", "10.02993"):
        assert private not in one.text and private not in str(listed)
    assert [r["service_request_id"] for r in listed] == [number]
    assert one_xml.tag == "service_requests"
    assert one_xml.findtext("request/service_request_id") == number
    assert one_xml.findtext("request/status") == "open"
    assert one_xml.findtext("request/lat") == "10.03"
    assert token == [{"service_request_id": number, "token": receipt["token"]}]
    assert token_xml.findtext("request/service_request_id") == number
    assert filed_xml.findtext("request/service_request_id") == str(int(number) + 1)


async def test_a_partner_files_anonymously_unless_a_name_is_given(
    fake: FakeTelegram, db_url: str, unused_tcp_port: int
) -> None:
    async with open311(fake, db_url, unused_tcp_port) as api:
        anonymous = await api.file(service_code="litter", description="Rác đổ trộm")
        named = await api.file(service_code="litter", first_name="Trần", last_name="Bình")
        async with api.app.uow() as uow:
            first = await uow.reports.get(int(anonymous))
            second = await uow.reports.get(int(named))

    assert first is not None and first.anonymous
    assert second is not None and not second.anonymous
    assert second.reporter.display_name == "Trần Bình"
    assert not second.reporter.active  # a partner is never written to


async def test_requests_are_filtered_by_id_code_status_and_dates_and_paged(
    fake: FakeTelegram, db_url: str, unused_tcp_port: int
) -> None:
    async with open311(fake, db_url, unused_tcp_port) as api:
        litter = [await api.file(service_code="litter") for _ in range(3)]
        road = await api.file(service_code="road")
        async with api.app.uow() as uow:
            officers = await uow.officers.of_person("telegram", str(LAN_OFFICER))
            await change_state(
                uow,
                officers,
                int(litter[0]),
                ReportState.RESOLVED,
                None,
                api.app.clock.now(),
                api.app.conversation.triage,
            )
            await uow.commit()
        now = api.app.clock.now()
        later = (now + timedelta(hours=1)).isoformat()
        earlier = (now - timedelta(hours=1)).isoformat()

        async def ids(fmt: str = "json", **params: Any) -> list[str]:
            answer = await api.get(f"requests.{fmt}", **params)
            assert answer.status_code == 200, answer.text
            if fmt == "xml":
                found = xml(answer).findall("request/service_request_id")
                return [e.text or "" for e in found]
            return [r["service_request_id"] for r in answer.json()]

        newest_first = [road, *reversed(litter)]
        assert await ids() == newest_first
        assert await ids("xml") == newest_first
        assert await ids(service_code="litter") == list(reversed(litter))
        assert await ids("xml", service_code="road,litter", status="closed") == [litter[0]]
        assert await ids(status="open") == newest_first[:-1]
        assert await ids(service_request_id=f"{litter[1]},{road}") == [road, litter[1]]
        assert await ids(start_date=later) == []
        assert await ids(end_date=earlier) == []
        assert await ids(start_date=earlier, end_date=later) == newest_first
        assert await ids(page_size="3") == newest_first[:3]
        assert await ids("xml", page_size="3", page="2") == newest_first[3:]
        assert await ids(page_size="3", page="3") == []
        closed = (await api.get(f"requests/{litter[0]}.json")).json()[0]

    assert closed["status"] == "closed" and closed["detailed_status"] == "resolved"
    assert closed["updated_datetime"] >= closed["requested_datetime"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_refusals_are_answered_in_the_error_format_and_change_nothing(
    fake: FakeTelegram, db_url: str, unused_tcp_port: int, fmt: str
) -> None:
    async with open311(fake, db_url, unused_tcp_port) as api:
        lat, long = NEAR_HEM_51
        good = {"api_key": api.key, "service_code": "litter", "lat": lat, "long": long}
        refusals = {
            "no key": await api.post(fmt, **{**good, "api_key": ""}),
            "wrong key": await api.post(fmt, **{**good, "api_key": api.key + "x"}),
            "bad code": await api.post(fmt, **{**good, "service_code": "graffiti"}),
            "no place": await api.post(fmt, api_key=api.key, service_code="litter"),
            "bad pin": await api.post(fmt, **{**good, "lat": "north"}),
            "bad ward": await api.post(fmt, **{**good, "jurisdiction_id": "ha-noi"}),
            "bad alley": await api.post(
                fmt, api_key=api.key, service_code="litter", address_id="nowhere"
            ),
            "too long": await api.post(fmt, **{**good, "description": "x" * 2001}),
            "unknown id": await api.get(f"requests/999999.{fmt}"),
            "not an id": await api.get(f"requests/abc.{fmt}"),
            "unknown token": await api.get(f"tokens/999999.{fmt}"),
            "unknown service": await api.get(f"services/graffiti.{fmt}"),
            "bad filter": await api.get(f"requests.{fmt}", service_code="graffiti"),
            "bad status": await api.get(f"requests.{fmt}", status="pending"),
            "bad date": await api.get(f"requests.{fmt}", start_date="2026-12-01"),
            "bad page": await api.get(f"requests.{fmt}", page="0"),
        }
        async with api.app.uow() as uow:
            await revoke_key(uow, "city-1022", api.app.clock.now())
            await uow.commit()
        refusals["revoked key"] = await api.post(fmt, **good)
        listed = (await api.get("requests.json")).json()

    statuses = {name: error_of(answer)[0] for name, answer in refusals.items()}
    assert statuses == {
        "no key": 403,
        "wrong key": 403,
        "bad code": 400,
        "no place": 400,
        "bad pin": 400,
        "bad ward": 400,
        "bad alley": 400,
        "too long": 400,
        "unknown id": 404,
        "not an id": 404,
        "unknown token": 404,
        "unknown service": 404,
        "bad filter": 400,
        "bad status": 400,
        "bad date": 400,
        "bad page": 400,
        "revoked key": 403,
    }
    assert "api_key" in error_of(refusals["wrong key"])[1]
    assert "service_code" in error_of(refusals["bad code"])[1]
    assert listed == []
    assert fake.messages_to(LAN_OFFICER) == []
