"""A fake Zalo Bot API server on 127.0.0.1, for the bot's Zalo channel to talk to.

It keeps to what the Zalo Bot Platform documents: every method a POST with a JSON body, answers
`{ok, result}` or `{ok: false, error_code, description}`, string ids, text up to 2,000
characters, and `getUpdates` handing out ONE update per call (`{"timeout": "30"}`, a string, no
offset), or `error_code 408` when the poll ends empty; it refuses to poll while a webhook is set.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

JSON = dict[str, Any]
Handler = Callable[[JSON], Awaitable[Any]]

_LOGGER = logging.getLogger(__name__)

MAX_TEXT = 2000
SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendSticker"})
CHAT_ACTIONS = frozenset({"typing", "upload_photo"})
DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request timeout",
    429: "Too Many Requests: quota exceeded",
    500: "Internal Server Error",
}


class ApiError(Exception):
    """A Zalo-shaped error answer."""

    def __init__(self, code: int, description: str | None = None) -> None:
        self.code = code
        self.description = description or DESCRIPTIONS.get(code, "Error")
        super().__init__(self.description)

    def body(self) -> JSON:
        return {"ok": False, "error_code": self.code, "description": self.description}


@dataclass(frozen=True)
class Sent:
    """One message the bot delivered: a text, or a photo by its URL (with its caption)."""

    method: str
    chat_id: str
    text: str | None
    photo: str | None
    message_id: str
    at: float


@dataclass(frozen=True)
class Call:
    """One request the bot made, with the error code it was answered (0 for ok)."""

    method: str
    params: JSON
    error_code: int
    at: float = field(default_factory=time.monotonic, compare=False)


class FakeZalo:
    """The Bot API as the bot sees it: queued updates from residents, a record of what it did.

    The server runs as a task of the test's event loop: tests call the synchronous methods
    (`send_text`, `block`, `fail_next`, ...) without locks.
    """

    def __init__(self, token: str = "1234567890:zalo-test-token") -> None:
        self.token = token
        self.bot: JSON = {
            "id": "1234567890",
            "account_name": "bot.urbanbell",
            "account_type": "BASIC",
            "can_join_groups": False,
        }
        self.sent: list[Sent] = []
        self.calls: list[Call] = []
        self.chat_actions: list[tuple[str, str]] = []
        self.webhook: JSON | None = None
        self.status_for_errors = True  # answer errors with their code as the HTTP status too

        self._message_ids = itertools.count(1)
        self._pending: deque[JSON] = deque()
        self._updates: dict[str, JSON] = {}
        self._names: dict[str, str] = {}
        self._sent_by_chat: dict[str, list[Sent]] = {}
        self._blocked: set[str] = set()
        self._failures: dict[str, deque[ApiError]] = {}
        self._long_polls = 0

        self._changed = asyncio.Event()
        self._closing = False
        self._server: uvicorn.Server | None = None
        self._server_task: asyncio.Task[None] | None = None
        self._port: int | None = None

        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendSticker": self._send_sticker,
            "sendChatAction": self._send_chat_action,
        }
        self._app = Starlette(routes=[Route("/bot{token}/{method}", self._api, methods=["POST"])])

    # --- server ----------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeZalo:
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = server = uvicorn.Server(config)
        self._server_task = asyncio.create_task(server.serve(), name="fake-zalo")
        deadline = time.monotonic() + 10
        while not server.started:  # uvicorn offers a flag, not an event
            if self._server_task.done():
                await self._server_task
                raise RuntimeError("the fake Zalo server stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Zalo server did not start within 10 s")
            await asyncio.sleep(0.005)
        self._port = server.servers[0].sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closing = True  # long polls end at once
        self._notify()
        if self._server is not None and self._server_task is not None:
            self._server.should_exit = True
            await self._server_task
        self._server = self._server_task = None

    @property
    def base_url(self) -> str:
        """`URBANBELL_ZALO_API_URL`: the bot appends its token and the method."""
        if self._port is None:
            raise RuntimeError("the fake Zalo server is not running: use `async with`")
        return f"http://127.0.0.1:{self._port}/bot"

    # --- acting as people ------------------------------------------------------------------------

    def send_text(self, user_id: str, text: str, *, name: str = "Lan", group: str = "") -> str:
        """Queue a text from a person (in a group chat when `group` is given); its message id."""
        message = self._message(user_id, name, group)
        message["text"] = text
        return self._queue("message.text.received", message)

    def send_image(self, user_id: str, url: str, caption: str = "") -> str:
        message = self._message(user_id, self._names.get(user_id, "Lan"), "")
        message.update(photo_url=url, caption=caption)
        return self._queue("message.image.received", message)

    def send_sticker(self, user_id: str, sticker: str = "bfe458bf64fa8da4d4eb") -> str:
        message = self._message(user_id, self._names.get(user_id, "Lan"), "")
        message.update(sticker=sticker, url=f"https://zalo.me/sticker/{sticker}.png")
        return self._queue("message.sticker.received", message)

    def send_unsupported(self, user_id: str) -> str:
        """Queue something Zalo passes on without its content (a voice note, a file...)."""
        return self._queue(
            "message.unsupported.received",
            self._message(user_id, self._names.get(user_id, "Lan"), ""),
        )

    def update_json(self, message_id: str) -> JSON:
        """An update queued earlier, as Zalo would POST it to a webhook."""
        return copy.deepcopy(self._updates[message_id])

    def take_pending(self) -> list[JSON]:
        """Remove and return the updates nobody fetched (a test that posts them to a webhook)."""
        taken = list(self._pending)
        self._pending.clear()
        return taken

    # --- what the bot did ------------------------------------------------------------------------

    @property
    def long_polls(self) -> int:
        """How many getUpdates requests are waiting right now."""
        return self._long_polls

    def messages_to(self, chat_id: str) -> list[Sent]:
        return list(self._sent_by_chat.get(chat_id, ()))

    def texts_to(self, chat_id: str) -> list[str]:
        return [m.text or "" for m in self.messages_to(chat_id)]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for_messages(
        self,
        chat_id: str,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the tests' own bound, not a cancellation scope
    ) -> list[Sent]:
        """Wait until the bot has sent `count` messages to the chat; fail with what it sent."""
        if not await self._wait_until(
            lambda: len(self._sent_by_chat.get(chat_id, ())) >= count, timeout
        ):
            raise AssertionError(
                f"expected {count} messages to {chat_id} within {timeout} s, "
                f"got {self.texts_to(chat_id)!r}"
            )
        return self.messages_to(chat_id)

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the tests' own bound, not a cancellation scope
    ) -> list[Call]:
        if not await self._wait_until(lambda: len(self.calls_of(method)) >= count, timeout):
            seen = [(call.method, call.error_code) for call in self.calls]
            raise AssertionError(f"expected {count} {method} calls within {timeout} s: {seen!r}")
        return self.calls_of(method)

    async def wait_for_long_poll(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot is waiting in getUpdates."""
        if not await self._wait_until(lambda: self._long_polls > 0, timeout):
            raise AssertionError(f"the bot did not poll within {timeout} s")

    # --- cues ------------------------------------------------------------------------------------

    def fail_next(
        self, method: str, code: int = 429, description: str | None = None, *, times: int = 1
    ) -> None:
        """Answer the next `times` calls of `method` with this error."""
        queue = self._failures.setdefault(method, deque())
        queue.extend(ApiError(code, description) for _ in range(times))

    def block(self, user_id: str) -> None:
        """Act as a person who blocked the bot, until they write to it again."""
        self._blocked.add(user_id)

    # --- internals -------------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, done: Callable[[], bool], within: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not done():
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                return done()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return done()
        return True

    def _message(self, user_id: str, name: str, group: str) -> JSON:
        self._names[user_id] = name
        self._blocked.discard(user_id)  # writing to the bot unblocks it
        chat = {"id": group, "chat_type": "GROUP"} if group else {"id": user_id}
        chat.setdefault("chat_type", "PRIVATE")
        return {
            "message_id": f"{next(self._message_ids):08x}c0ffee{len(self._updates):04x}",
            "from": {"id": user_id, "display_name": name, "is_bot": False},
            "chat": chat,
            "date": int(time.time() * 1000),
        }

    def _queue(self, event_name: str, message: JSON) -> str:
        update = {"event_name": event_name, "message": message}
        self._updates[message["message_id"]] = update
        self._pending.append(update)
        self._notify()
        return str(message["message_id"])

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        params: JSON = {}
        try:
            if request.path_params["token"] != self.token:
                raise ApiError(401)
            try:
                body = await request.json() if await request.body() else {}
            except ValueError:
                raise ApiError(400, "Bad Request: the body is not JSON") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: the body is not a JSON object")
            params = body
            handler = self._handlers.get(method)
            if handler is None:
                raise ApiError(404, "Not Found: no such method")
            failures = self._failures.get(method)
            if failures:
                raise failures.popleft()
            answer: JSON = {"ok": True, "result": await handler(params)}
            code, status = 0, 200
        except ApiError as error:
            answer, code = error.body(), error.code
            status = error.code if self.status_for_errors else 200
        except Exception as error:  # a bug in the fake must reach the test as a clear answer
            _LOGGER.exception("fake Zalo failed on %s", method)
            answer, code, status = ApiError(500, f"fake failed: {error!r}").body(), 500, 500
        self.calls.append(Call(method, params, code))
        self._notify()
        return JSONResponse(answer, status_code=status)

    # --- methods ---------------------------------------------------------------------------------

    async def _get_me(self, params: JSON) -> JSON:
        return dict(self.bot)

    async def _get_updates(self, params: JSON) -> JSON:
        if self.webhook is not None:
            raise ApiError(400, "Bad Request: webhook is set; delete it to use getUpdates")
        wait = params.get("timeout", "30")
        if not isinstance(wait, str) or not wait.isdigit():
            raise ApiError(400, "Bad Request: timeout must be a string of seconds")
        self._long_polls += 1
        self._notify()
        try:
            await self._wait_until(lambda: bool(self._pending), float(wait))
        finally:
            self._long_polls -= 1
        if not self._pending:
            raise ApiError(408)
        return copy.deepcopy(self._pending.popleft())

    async def _set_webhook(self, params: JSON) -> JSON:
        url, secret = params.get("url"), params.get("secret_token")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: url is invalid")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise ApiError(400, "Bad Request: secret_token must be 8 to 256 characters")
        self.webhook = {"url": url, "secret_token": secret, "updated_at": _ms()}
        return {"url": url, "updated_at": self.webhook["updated_at"]}

    async def _delete_webhook(self, params: JSON) -> JSON:
        self.webhook = None
        return {"url": "", "updated_at": _ms()}

    async def _get_webhook_info(self, params: JSON) -> JSON:
        if self.webhook is None:
            return {"url": "", "updated_at": 0}
        return {"url": self.webhook["url"], "updated_at": self.webhook["updated_at"]}

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, f"Bad Request: text is longer than {MAX_TEXT} characters")
        return self._deliver("sendMessage", chat_id, text, None)

    async def _send_photo(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        photo = params.get("photo")
        if not isinstance(photo, str) or not photo.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: photo must be a URL")
        caption = params.get("caption")
        if caption is not None and (not isinstance(caption, str) or len(caption) > MAX_TEXT):
            raise ApiError(400, "Bad Request: caption is invalid")
        return self._deliver("sendPhoto", chat_id, caption, photo)

    async def _send_sticker(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if not isinstance(params.get("sticker"), str):
            raise ApiError(400, "Bad Request: sticker is missing")
        return self._deliver("sendSticker", chat_id, None, None)

    async def _send_chat_action(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: unknown action")
        self.chat_actions.append((chat_id, str(action)))
        return {}

    def _chat_id(self, params: JSON) -> str:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise ApiError(400, "Bad Request: chat_id must be a non-empty string")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: the user has blocked the bot")
        if chat_id not in self._names and not any(
            u["message"]["chat"]["id"] == chat_id for u in self._updates.values()
        ):
            raise ApiError(404, "Not Found: chat not found")
        return chat_id

    def _deliver(self, method: str, chat_id: str, text: str | None, photo: str | None) -> JSON:
        message_id = f"b0{next(self._message_ids):014x}"
        sent = Sent(method, chat_id, text, photo, message_id, time.monotonic())
        self.sent.append(sent)
        self._sent_by_chat.setdefault(chat_id, []).append(sent)
        return {"message_id": message_id, "date": _ms()}


def _ms() -> int:
    return int(time.time() * 1000)
