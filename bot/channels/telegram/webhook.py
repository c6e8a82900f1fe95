"""The webhook: Telegram posts updates here, each checked for the shared secret."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram.app import ChatQueue

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_route(
    path: str,
    application: Application,  # type: ignore[type-arg]
    chats: ChatQueue,
    secret: str,
) -> Route:
    """A route that handles an update before answering, so that Telegram retries on a crash."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request without the right secret from %s", request.client)
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, KeyError, TypeError):
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        await chats.run(update, lambda: application.process_update(update))
        return Response(status_code=200)

    return Route(path, receive, methods=["POST"])
