"""The bell on Zalo, through the real Zalo messenger and the fake Zalo Bot API: a late bell
counts the minutes actually left and says that it is late, in Vietnamese."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.channels.zalo.client import ZaloClient
from bot.channels.zalo.messenger import ZaloMessenger
from bot.chat.i18n import Catalogues
from bot.features.bell.wording import BellWording
from core.holidays import VietnamHolidays
from core.ports import UnitOfWorkFactory
from scheduler.dispatcher import Dispatcher, Route
from scheduler.pacing import Pace, Pacer
from scheduler.planner import BELL, Planner
from tests.e2e.zalo_harness import LAN
from tests.fakes.zalo import FakeZalo
from tests.integration.test_bell_countdown import follow, seed_alley
from tests.support import FixedClock
from tests.unit.test_pacing import FakeTime

VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_a_late_bell_on_zalo_says_six_minutes_and_that_it_is_late(
    uow_factory: UnitOfWorkFactory, zalo: FakeZalo
) -> None:
    zalo.send_text(LAN, "xin chào")  # the fake knows a chat once its person has written
    await seed_alley(uow_factory, "03:02")
    clock = FixedClock(datetime(2026, 12, 5, 2, 56, tzinfo=VN))
    await follow(uow_factory, clock, lead=15, channel="zalo", chat=LAN, language="vi")
    wording = BellWording(Catalogues(), "vi")
    await Planner(uow_factory, clock, VietnamHolidays(), wording, {"zalo": 1.0}).run()
    client = ZaloClient(zalo.token, zalo.base_url)
    time = FakeTime()
    try:
        route = Route(
            ZaloMessenger(client), Pacer(Pace(per_second=1.0), time.monotonic, time.sleep)
        )
        sender = Dispatcher(uow_factory, {"zalo": route}, clock, finishing={BELL: wording.finish})
        assert await sender.send_due() == 1
    finally:
        await client.close()

    (bell,) = zalo.messages_to(LAN)
    text = bell.text or ""
    assert "Hẻm 1 lúc 03:02, còn 6 phút nữa" in text
    assert "15 phút" not in text
    assert "Xin lỗi, chuông báo này đến trễ." in text
