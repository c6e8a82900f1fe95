"""The webhook: Telegram posts updates here, each checked for the shared secret."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update

from bot.channels.inbox import Inbox
from bot.channels.telegram.updates import handle_updates
from bot.web.bodies import Refused, json_object

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_route(path: str, bot: Bot, inbox: Inbox, secret: str) -> Route:
    """A route that answers 200 only once the update's answer is stored, so that Telegram
    delivers it again after a crash or while the database is away."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request without the right secret from %s", request.client)
            return Response(status_code=403)
        try:
            body = await json_object(request)
        except Refused as refused:
            return Response(status_code=refused.status)
        try:
            update = Update.de_json(body, bot)
        # Fields of the wrong type fail inside python-telegram-bot's own parsing.
        except (ValueError, KeyError, TypeError, AttributeError):
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        if await handle_updates(inbox, [update]) is not None:
            return Response(status_code=503)  # not kept: Telegram should deliver it again
        return Response(status_code=200)

    return Route(path, receive, methods=["POST"])
