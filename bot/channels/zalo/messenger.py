"""Delivering outbox messages on Zalo, each error mapped to the same outcomes as Telegram's."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from bot.channels.parts import send_parts
from bot.channels.zalo.adapter import CHANNEL, render
from bot.channels.zalo.client import ZaloClient, ZaloError
from core.model import Delivery, Outcome

log = logging.getLogger(__name__)

# Failures once the request was sent: waiting for or reading the answer.
AFTER_SENDING = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)
# Zalo publishes no retry_after; after "too many requests" the whole bot waits this long.
QUOTA_WAIT = 30.0
LEFT_OUT = ("document", "picture")  # files: the Zalo Bot Platform sends photos by URL only
# Zalo's words for a person the bot can no longer write to.
UNREACHABLE = re.compile(
    r"blocked|user (?:is )?not found|chat not found|not a follower|unfollow|"
    r"(?:user|recipient) (?:is )?(?:deactivated|deleted|unavailable)|"
    r"cannot send to (?:this )?user",
    re.IGNORECASE,
)


class ZaloMessenger:
    channel = CHANNEL

    def __init__(self, client: ZaloClient) -> None:
        self.client = client

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery:
        outgoing = render(payload)
        for kind in LEFT_OUT:
            if isinstance(file := payload.get(kind), Mapping):
                log.info(
                    "Zalo carries no files: %s went to %s without it",
                    file.get("filename"),
                    chat_id,
                )
        steps: list[Callable[[], Awaitable[None]]] = [
            functools.partial(self.client.send_message, chat_id, part)
            for part in outgoing.parts
            if part
        ]
        for photo in [*outgoing.album, outgoing.photo]:
            if photo is not None:
                steps.append(functools.partial(self.client.send_photo, chat_id, photo))
        return await send_parts(payload, steps, (ZaloError, httpx.HTTPError), _outcome)


def _outcome(error: Exception) -> Delivery:
    if isinstance(error, ZaloError):
        return outcome_of(error)
    reason = f"{type(error).__name__}: {error}"
    # Only a failure before the request reached Zalo is safe to repeat.
    may_have_arrived = isinstance(error, AFTER_SENDING)
    return Delivery(Outcome.UNCERTAIN if may_have_arrived else Outcome.RETRY, reason)


def outcome_of(error: ZaloError) -> Delivery:
    """What a Zalo error means for the message: wait, stop, retry, or give up.

    Zalo's error table lists 403 as an error on its side and 404 as an invalid request, so no
    code alone says the person cannot be reached: only Zalo's own answer saying so marks them
    inactive. A code the table does not explain is tried again with growing waits, then fails;
    nobody is marked inactive for it.
    """
    source = "Zalo" if error.from_zalo else "HTTP (not Zalo's answer)"
    reason = f"{source} {error.code}: {error.description}"
    if error.from_zalo and UNREACHABLE.search(error.description):
        return Delivery(Outcome.BLOCKED, reason)
    match error.code:
        case 429:
            return Delivery(Outcome.RETRY_AFTER, reason, QUOTA_WAIT)
        case 408 | 504:
            # Zalo gave up waiting on itself: the message may have gone.
            return Delivery(Outcome.UNCERTAIN, reason)
        case 400 | 401 | 404:
            # The request itself is wrong (a text too long, a bad token): again is no better.
            return Delivery(Outcome.FAILED, reason)
        case _:
            return Delivery(Outcome.RETRY, reason)
