"""The webhook: Zalo posts updates here, each checked for the shared secret."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.inbox import Inbox
from bot.channels.zalo.adapter import to_incoming, unwrap
from bot.chat.conversation import NotStored
from bot.web.bodies import Refused, json_object

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"


def webhook_route(path: str, inbox: Inbox, secret: str) -> Route:
    """A route that handles an update before answering, so that a crash leaves it unconfirmed."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("Zalo webhook request without the right secret from %s", request.client)
            return Response(status_code=403)
        try:
            body = await json_object(request)
        except Refused as refused:
            return Response(status_code=refused.status)
        try:
            event = to_incoming(unwrap(body))
            if event is not None:
                await inbox.handle(event)
        except NotStored:
            return Response(status_code=503)  # not kept: Zalo should deliver it again
        return Response(status_code=200)

    return Route(path, receive, methods=["POST"])
