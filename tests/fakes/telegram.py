"""A fake Telegram Bot API server on 127.0.0.1 that a real python-telegram-bot talks to."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import HeaderParser
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

JSON = dict[str, Any]
Handler = Callable[[JSON], Awaitable[Any]]

_LOGGER = logging.getLogger(__name__)

# Methods whose successful answers are recorded in `sent` and paced by `limit`.
SENDING_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendLocation", "sendMediaGroup"}
)
MEDIA_GROUP = range(2, 11)  # an album holds 2 to 10 items
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100  # inline buttons under one message
MAX_DOWNLOAD = 20 * 1024 * 1024

# Form fields arrive as strings; these stay strings even when they look like numbers or JSON.
_TEXT_PARAMS = frozenset(
    {
        *("text", "caption", "parse_mode", "query", "emoji", "action", "language_code"),
        *("url", "secret_token", "ip_address", "callback_query_id", "inline_message_id"),
        *("file_id", "photo", "document", "title", "description", "short_description", "name"),
        *("phone_number", "first_name", "last_name", "address"),
        *("message_effect_id", "business_connection_id"),
    }
)
_JSON_LOOKING = re.compile(r"^\s*(?:[\[{]|true$|false$|null$|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$)")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_HTML_TAGS = frozenset(
    {
        *("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler"),
        *("a", "code", "pre", "blockquote", "tg-emoji"),
    }
)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>")


@dataclass(frozen=True)
class Sent:
    """One message the bot delivered; `text` is the caption of a photo or a document."""

    method: str
    chat_id: int
    text: str | None
    reply_markup: JSON | None
    params: JSON
    message_id: int
    at: float


@dataclass(frozen=True)
class Call:
    """One request the bot made, with the HTTP status it was answered."""

    method: str
    params: JSON
    status: int
    at: float = field(default_factory=time.monotonic, compare=False)


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    mime_type: str
    content: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class _StoredFile:
    path: str
    size: int
    content: bytes | None = None

    def read(self) -> bytes:
        if self.content is not None:
            return self.content
        # A JPEG start marker padded to the advertised size is enough for a bot that stores bytes.
        return (b"\xff\xd8\xff\xe0" + bytes(self.size))[: self.size]


class ApiError(Exception):
    """A Telegram-shaped error answer."""

    def __init__(
        self, status: int, description: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = dict(parameters) if parameters else None

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class _Window:
    """A sliding window that lets `capacity` sends through per `span` seconds."""

    capacity: int
    span: float
    stamps: deque[float] = field(default_factory=deque)

    @classmethod
    def per_second(cls, rate: float) -> _Window:
        if rate <= 0:
            raise ValueError("a rate must be positive")
        # Rates below one a second (20 a minute in groups) widen the window instead of rounding
        # the capacity down to zero.
        span = max(1.0, 1.0 / rate)
        return cls(capacity=max(1, math.floor(rate * span + 1e-9)), span=span)

    def retry_after(self, now: float) -> int | None:
        while self.stamps and self.stamps[0] <= now - self.span:
            self.stamps.popleft()
        if len(self.stamps) < self.capacity:
            return None
        return max(1, math.ceil(self.stamps[0] + self.span - now))

    def add(self, now: float) -> None:
        self.stamps.append(now)


class FakeTelegram:
    """The Bot API as PTB sees it: queued updates for residents, a record of what the bot did.

    Only one process and one event loop: the server runs as a task of the test's loop, so tests
    call the synchronous methods (`send_text`, `press`, ...) without locks.
    """

    def __init__(
        self, token: str = "123456:TEST", bot_username: str = "urbanbell_test_bot"
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        bot_id = token.split(":", 1)[0]
        self.bot_user: JSON = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": "Urban Bell",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.sent: list[Sent] = []
        self.calls: list[Call] = []
        self.answered_callbacks: list[JSON] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook: JSON | None = None
        self.too_many_requests = 0

        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._pending: list[JSON] = []
        self._updates: dict[int, JSON] = {}
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, JSON] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._last_bot_message: dict[int, int] = {}
        self._sent_by_chat: dict[int, list[Sent]] = {}
        self._callbacks: dict[str, bool] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, str] = {}
        self._blocked: set[int] = set()
        self._forgotten: set[int] = set()
        self._failures: dict[str, deque[ApiError]] = {}
        self._delays: dict[str, deque[float]] = {}
        self._overall: _Window | None = None
        self._per_chat_rate: float | None = None
        self._per_chat: dict[int, _Window] = {}
        self._poll_generation = 0
        self._long_polls = 0

        self._changed = asyncio.Event()
        self._closing = False
        self._closed = asyncio.Event()
        self._server: uvicorn.Server | None = None
        self._server_task: asyncio.Task[None] | None = None
        self._port: int | None = None

        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendLocation": self._send_location,
            "sendMediaGroup": self._send_media_group,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getFile": self._get_file,
        }
        # Telegram matches method names case-insensitively.
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}
        self._app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )

    # --- server ----------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegram:
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            access_log=False,
            lifespan="off",
            # A handler that hangs must not hang the test run on the way out.
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._server_task = asyncio.create_task(server.serve(), name="fake-telegram")
        deadline = time.monotonic() + 10
        # uvicorn offers no "started" event, only a flag.
        while not server.started:
            if self._server_task.done():
                await self._server_task
                raise RuntimeError("the fake Telegram server stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Telegram server did not start within 10 s")
            await asyncio.sleep(0.005)
        self._port = server.servers[0].sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Long polls and delayed answers end at once, so uvicorn has no open request to await.
        self._closing = True
        self._closed.set()
        self._notify()
        if self._server is not None and self._server_task is not None:
            self._server.should_exit = True
            await self._server_task
        self._server = None
        self._server_task = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the fake Telegram server is not running: use `async with`")
        return self._port

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's `base_file_url`, needed for `File.download_*` to reach the fake."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- acting as people ------------------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = "vi",
        first_name: str = "Lan",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a text message from a person; a leading "/" makes it a command."""
        user = self._user(user_id, first_name=first_name, language_code=language_code)
        message = self._incoming(user_id, user=user, chat_id=chat_id, chat_type=chat_type)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_length(command)}
            ]
        return self._queue({"message": message})

    def press(
        self,
        user_id: int,
        data: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
        language_code: str | None = "vi",
    ) -> int:
        """Queue a button press on a message the bot sent (default: its last one to the chat)."""
        chat = user_id if chat_id is None else chat_id
        if message_id is None:
            if chat not in self._last_bot_message:
                raise LookupError(f"the bot has sent nothing to chat {chat} to press on")
            message_id = self._last_bot_message[chat]
        message = self._messages.get((chat, message_id))
        if message is None:
            raise LookupError(f"the bot sent no message {message_id} to chat {chat}")
        user = self._user(user_id, language_code=language_code)
        self._user_acted(user_id, chat)
        query_id = str(4_000_000_000 + next(self._callback_ids))
        self._callbacks[query_id] = False
        return self._queue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "chat_instance": str(chat * 31 + 7),
                    "data": data,
                    "message": copy.deepcopy(message),
                }
            }
        )

    def share_location(self, user_id: int, latitude: float, longitude: float) -> int:
        """Queue a location a person shares in their private chat."""
        message = self._incoming(user_id)
        message["location"] = {"latitude": latitude, "longitude": longitude}
        return self._queue({"message": message})

    def send_photo(
        self,
        user_id: int,
        file_id: str = "photo-1",
        caption: str | None = None,
        file_size: int = 50_000,
    ) -> int:
        """Queue a photo from a person; `getFile` then serves it for download."""
        self._files[file_id] = _StoredFile(path=f"photos/{file_id}.jpg", size=file_size)
        self._file_paths[f"photos/{file_id}.jpg"] = file_id
        message = self._incoming(user_id)
        message["photo"] = [
            {
                "file_id": f"{file_id}-thumb",
                "file_unique_id": f"u-{file_id}-thumb",
                "width": 90,
                "height": 67,
                "file_size": min(file_size, 1_500),
            },
            {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "width": 1280,
                "height": 960,
                "file_size": file_size,
            },
        ]
        self._files.setdefault(
            f"{file_id}-thumb",
            _StoredFile(path=f"photos/{file_id}-thumb.jpg", size=min(file_size, 1_500)),
        )
        self._file_paths[f"photos/{file_id}-thumb.jpg"] = f"{file_id}-thumb"
        if caption is not None:
            message["caption"] = caption
        return self._queue({"message": message})

    def send_contact(self, user_id: int, phone_number: str) -> int:
        """Queue a person sharing their own phone number."""
        message = self._incoming(user_id)
        message["contact"] = {
            "phone_number": phone_number,
            "first_name": message["from"]["first_name"],
            "user_id": user_id,
        }
        return self._queue({"message": message})

    def update_json(self, update_id: int) -> JSON:
        """The JSON of an update queued earlier, as Telegram would POST it to a webhook."""
        return copy.deepcopy(self._updates[update_id])

    # --- what the bot did ------------------------------------------------------------------------

    @property
    def long_polls(self) -> int:
        """How many getUpdates requests are waiting for an update right now."""
        return self._long_polls

    def messages_to(self, chat_id: int) -> list[Sent]:
        """What the bot delivered to one chat, in order."""
        return list(self._sent_by_chat.get(chat_id, ()))

    def calls_of(self, method: str) -> list[Call]:
        """Every call of one method, whatever it was answered."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def message(self, chat_id: int, message_id: int) -> JSON:
        """A message the bot sent, as it stands now (after any edits)."""
        return copy.deepcopy(self._messages[(chat_id, message_id)])

    def commands_for(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JSON]:
        """The commands set for exactly this scope and language, as `commands` keys them."""
        return self.commands.get((_scope_key(scope), language_code), [])

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the tests' own bound, not a cancellation scope
    ) -> list[Sent]:
        """Wait until the bot has sent `count` messages to the chat; fail with what it sent."""
        if not await self._wait_until(
            lambda: len(self._sent_by_chat.get(chat_id, ())) >= count, timeout
        ):
            texts = [sent.text for sent in self.messages_to(chat_id)]
            raise AssertionError(
                f"expected {count} messages to chat {chat_id} within {timeout} s, "
                f"got {len(texts)}: {texts!r}"
            )
        return self.messages_to(chat_id)

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the tests' own bound, not a cancellation scope
    ) -> list[Call]:
        """Wait until the bot has called `method` `count` times; fail with what it called."""
        if not await self._wait_until(lambda: len(self.calls_of(method)) >= count, timeout):
            seen = [(call.method, call.status) for call in self.calls]
            raise AssertionError(
                f"expected {count} {method} calls within {timeout} s, "
                f"got {len(self.calls_of(method))}; all calls: {seen!r}"
            )
        return self.calls_of(method)

    # --- cues ------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with an error (retry_after only for 429)."""
        parameters = {"retry_after": retry_after} if status == 429 and retry_after else None
        if description is None:
            description = _status_phrase(status)
            if parameters:
                description += f": retry after {retry_after}"
        queue = self._failures.setdefault(method.lower(), deque())
        queue.extend(ApiError(status, description, parameters) for _ in range(times))

    def block(self, chat_id: int) -> None:
        """Act as a person who blocked the bot, until they write to it again."""
        self._blocked.add(chat_id)

    def forget_chat(self, chat_id: int) -> None:
        """Act as if the chat never existed, until its person writes again."""
        self._forgotten.add(chat_id)

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Deliver the next calls of `method` but hold their answers back for `seconds`."""
        self._delays.setdefault(method.lower(), deque()).extend([seconds] * times)

    def limit(
        self, *, per_second: float | None = None, per_chat_per_second: float | None = None
    ) -> None:
        """Answer sends beyond these rates with 429, as Telegram's flood control does."""
        self._overall = None if per_second is None else _Window.per_second(per_second)
        self._per_chat_rate = per_chat_per_second
        self._per_chat = {}

    # --- internals -------------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake every waiter; each checks its own condition again."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, done: Callable[[], bool], within: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return done()
        return True

    def _queue(self, update: JSON) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **update}
        self._updates[update_id] = update
        self._pending.append(update)
        self._notify()
        return update_id

    def _user(
        self, user_id: int, *, first_name: str | None = None, language_code: str | None = "vi"
    ) -> JSON:
        known = self._users.get(user_id, {})
        user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or known.get("first_name", "Lan"),
        }
        if language_code is not None:
            user["language_code"] = language_code
        self._users[user_id] = user
        return dict(user)

    def _incoming(
        self,
        user_id: int,
        *,
        user: JSON | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> JSON:
        """A message from a person, who keeps the name and language of their last text."""
        if user is None:
            user = dict(self._users[user_id]) if user_id in self._users else self._user(user_id)
        if chat_type == "private":
            if chat_id not in (None, user_id):
                raise ValueError("a private chat's id is its person's id")
            chat: JSON = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        else:
            if chat_id is None:
                raise ValueError(f"a {chat_type} chat needs a chat_id")
            chat = {"id": chat_id, "type": chat_type, "title": f"Chat {chat_id}"}
        self._chats[chat["id"]] = chat
        self._user_acted(user_id, chat["id"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": dict(chat),
            "from": user,
        }

    def _user_acted(self, user_id: int, chat_id: int) -> None:
        # Writing to a bot unblocks it, as in Telegram.
        if chat_id == user_id:
            self._blocked.discard(chat_id)
        self._forgotten.discard(chat_id)

    def _chat(self, chat_id: int) -> JSON:
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id > 0:
            name = self._users.get(chat_id, {}).get("first_name", "Lan")
            return {"id": chat_id, "type": "private", "first_name": name}
        return {"id": chat_id, "type": "group", "title": f"Chat {chat_id}"}

    # --- HTTP ------------------------------------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        name = request.path_params["method"]
        method, handler = self._handlers.get(name.lower(), (name, None))
        params: JSON = {}
        try:
            if request.path_params["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params = await _read_params(request)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            status, body = 200, {"ok": True, "result": await self._answer(method, handler, params)}
        except ApiError as error:
            status, body = error.status, error.body()
        except Exception as error:  # a bug in the fake must reach the test as a clear answer
            _LOGGER.exception("fake Telegram failed on %s", method)
            status = 500
            body = ApiError(500, f"Internal Server Error: fake failed: {error!r}").body()
        self.calls.append(Call(method=method, params=params, status=status))
        self._notify()
        delays = self._delays.get(method.lower())
        if delays:
            await self._pause(delays.popleft())
        return JSONResponse(body, status_code=status)

    async def _answer(self, method: str, handler: Handler, params: JSON) -> Any:
        failures = self._failures.get(method.lower())
        if failures:
            raise failures.popleft()
        if "chat_id" in params:
            chat_id = params["chat_id"]
            if chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id in self._forgotten:
                raise ApiError(400, "Bad Request: chat not found")
            if method in SENDING_METHODS:
                self._check_limits(chat_id)
        return await handler(params)

    def _check_limits(self, chat_id: Any) -> None:
        now = time.monotonic()
        windows = [self._overall]
        if self._per_chat_rate is not None and isinstance(chat_id, int):
            windows.append(
                self._per_chat.setdefault(chat_id, _Window.per_second(self._per_chat_rate))
            )
        waits = [w for window in windows if window and (w := window.retry_after(now)) is not None]
        if waits:
            self.too_many_requests += 1
            retry_after = max(waits)
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closed.wait(), seconds)

    async def _download(self, request: Request) -> Response:
        file_id = self._file_paths.get(request.path_params["path"])
        if request.path_params["token"] != self.token or file_id is None:
            return JSONResponse(ApiError(404, "Not Found").body(), status_code=404)
        return Response(self._files[file_id].read(), media_type="application/octet-stream")

    # --- methods ---------------------------------------------------------------------------------

    async def _get_me(self, params: JSON) -> JSON:
        return dict(self.bot_user)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int_param(params, "offset", 0)
        limit = min(100, max(1, _int_param(params, "limit", 100)))
        timeout = max(0.0, _float_param(params, "timeout", 0.0))
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        # A newer poll ends an older one with 409, as Telegram does with two bot instances.
        self._poll_generation += 1
        generation = self._poll_generation
        self._long_polls += 1
        self._notify()
        try:
            await self._wait_until(
                lambda: (
                    bool(self._pending) or self._closing or generation != self._poll_generation
                ),
                timeout,
            )
        finally:
            self._long_polls -= 1
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return copy.deepcopy(self._pending[:limit])

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        text = _checked_text(params, "text", MAX_TEXT, required=True)
        markup = _checked_markup(params)
        return self._deliver("sendMessage", chat_id, params, text, markup, {"text": text})

    async def _send_photo(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        caption = _checked_text(params, "caption", MAX_CAPTION, required=False)
        markup = _checked_markup(params)
        file_id, size = self._received_file(params, "photo", "photos", ".jpg")
        photo = [
            {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "width": 1280,
                "height": 960,
                "file_size": size,
            }
        ]
        content: JSON = {"photo": photo}
        if caption is not None:
            content["caption"] = caption
        return self._deliver("sendPhoto", chat_id, params, caption, markup, content)

    async def _send_document(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        caption = _checked_text(params, "caption", MAX_CAPTION, required=False)
        markup = _checked_markup(params)
        file_id, size = self._received_file(params, "document", "documents", "")
        document = params["document"]
        file_name = document.filename if isinstance(document, Upload) else f"{file_id}.bin"
        mime_type = (
            document.mime_type if isinstance(document, Upload) else "application/octet-stream"
        )
        content: JSON = {
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": size,
            }
        }
        if caption is not None:
            content["caption"] = caption
        return self._deliver("sendDocument", chat_id, params, caption, markup, content)

    async def _send_media_group(self, params: JSON) -> list[JSON]:
        """An album: 2 to 10 photos, or 2 to 10 documents, each becoming a message."""
        chat_id = _chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or len(media) not in MEDIA_GROUP:
            raise ApiError(400, "Bad Request: wrong number of media in the album")
        kinds = {item.get("type") if isinstance(item, dict) else None for item in media}
        if kinds not in ({"photo"}, {"document"}):
            raise ApiError(400, "Bad Request: an album takes photos or documents, not both")
        (kind,) = kinds
        delivered = []
        for item in media:
            file_id, size = self._received_file(item, "media", f"{kind}s", "")
            caption = item.get("caption")
            content: JSON = {kind: {"file_id": file_id, "file_size": size}}
            if caption is not None:
                content["caption"] = caption
            delivered.append(
                self._deliver("sendMediaGroup", chat_id, params, caption, None, content)
            )
        return delivered

    async def _send_location(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        latitude = _float_param(params, "latitude", math.nan)
        longitude = _float_param(params, "longitude", math.nan)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ApiError(400, "Bad Request: wrong latitude or longitude")
        markup = _checked_markup(params)
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._deliver("sendLocation", chat_id, params, None, markup, content)

    async def _send_chat_action(self, params: JSON) -> bool:
        _chat_id(params)
        if not params.get("action"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if self._callbacks.get(query_id, True):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is "
                "invalid",
            )
        self._callbacks[query_id] = True
        self.answered_callbacks.append(params)
        return True

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._message_to_edit(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = _checked_text(params, "text", MAX_TEXT, required=True)
        markup = _checked_markup(params)
        return self._edit(message, {"text": text}, markup)

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._message_to_edit(params)
        return self._edit(message, {}, _checked_markup(params))

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command"))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        key = _commands_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return copy.deepcopy(self.commands.get(_commands_key(params), []))

    async def _set_webhook(self, params: JSON) -> bool:
        # The fake never POSTs to the webhook: tests POST `update_json(...)` themselves.
        if params.get("drop_pending_updates") is True:
            self._pending.clear()
        self.webhook = dict(params) if params.get("url") else None
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates") is True:
            self._pending.clear()
        self.webhook = None
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        webhook = self.webhook or {}
        info: JSON = {
            "url": webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in webhook:
                info[key] = webhook[key]
        return info

    async def _get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id", ""))
        stored = self._files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": stored.size,
            "file_path": stored.path,
        }

    # --- method helpers --------------------------------------------------------------------------

    def _deliver(
        self,
        method: str,
        chat_id: int,
        params: JSON,
        text: str | None,
        markup: JSON | None,
        content: JSON,
    ) -> JSON:
        message_id = next(self._message_ids)
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": dict(self.bot_user),
            **content,
        }
        # Telegram keeps only inline keyboards on a message; reply keyboards live in the client.
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message_id)] = message
        self._last_bot_message[chat_id] = message_id
        now = time.monotonic()
        if self._overall is not None:
            self._overall.add(now)
        if chat_id in self._per_chat:
            self._per_chat[chat_id].add(now)
        sent = Sent(
            method=method,
            chat_id=chat_id,
            text=text,
            reply_markup=markup,
            params=params,
            message_id=message_id,
            at=now,
        )
        self.sent.append(sent)
        self._sent_by_chat.setdefault(chat_id, []).append(sent)
        self._notify()
        return copy.deepcopy(message)

    def _received_file(self, params: JSON, name: str, folder: str, suffix: str) -> tuple[str, int]:
        """Store an uploaded file (or look up a file_id the bot re-sends) for getFile."""
        value = params.get(name)
        if isinstance(value, Upload):
            file_id = f"bot-{folder}-{next(self._file_ids)}"
            path = f"{folder}/{file_id}{suffix}"
            self._files[file_id] = _StoredFile(path=path, size=value.size, content=value.content)
            self._file_paths[path] = file_id
            return file_id, value.size
        if isinstance(value, str) and value in self._files:
            return value, self._files[value].size
        if isinstance(value, str) and value:
            # A URL or a file_id from elsewhere: Telegram would fetch it; any size will do.
            file_id = f"bot-{folder}-{next(self._file_ids)}"
            path = f"{folder}/{file_id}{suffix}"
            self._files[file_id] = _StoredFile(path=path, size=50_000)
            self._file_paths[path] = file_id
            return file_id, 50_000
        raise ApiError(400, f"Bad Request: there is no {name} in the request")

    def _message_to_edit(self, params: JSON) -> JSON:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: the fake does not know inline messages")
        chat_id = _chat_id(params)
        message = self._messages.get((chat_id, _int_param(params, "message_id", 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _edit(self, message: JSON, content: JSON, markup: JSON | None) -> JSON:
        inline = markup if markup is not None and "inline_keyboard" in markup else None
        if all(message.get(k) == v for k, v in content.items()) and (
            message.get("reply_markup") == inline
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.update(content)
        if inline is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = inline
        message["edit_date"] = int(time.time())
        self._notify()
        return copy.deepcopy(message)


# --- decoding ------------------------------------------------------------------------------------


async def _read_params(request: Request) -> JSON:
    """Decode query, form, multipart or JSON parameters into plain values."""
    raw: dict[str, Any] = dict(request.query_params)
    uploads: dict[str, Upload] = {}
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    if body:
        if mime == "application/json":
            try:
                loaded = json.loads(body)
            except ValueError as error:
                raise ApiError(400, "Bad Request: can't parse JSON") from error
            if not isinstance(loaded, dict):
                raise ApiError(400, "Bad Request: the JSON body must be an object")
            raw.update(loaded)
        elif mime == "multipart/form-data":
            fields, uploads = _parse_multipart(body, content_type)
            raw.update(fields)
        else:
            raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    params = {name: _decode(name, value) for name, value in raw.items()}
    for part, upload in uploads.items():
        attached = [name for name, value in params.items() if value == f"attach://{part}"]
        for name in attached or [part]:
            params[name] = upload
    return params


def _decode(name: str, value: Any) -> Any:
    # PTB sends every non-string value JSON-encoded in form fields; strings go as they are.
    if not isinstance(value, str) or name in _TEXT_PARAMS or not _JSON_LOOKING.match(value):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str):
        raise ApiError(400, "Bad Request: multipart body without a boundary")
    fields: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n").partition(b"\r\n\r\n")
        headers = HeaderParser(policy=policy.HTTP).parsestr(head.decode("utf-8", "replace"))
        name = headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = headers.get_filename()
        if filename is None:
            fields[name] = content.decode("utf-8", "replace")
        else:
            uploads[name] = Upload(filename, headers.get_content_type(), content)
    return fields, uploads


def _int_param(params: JSON, name: str, default: int) -> int:
    value = params.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ApiError(400, f"Bad Request: wrong parameter {name}") from error


def _float_param(params: JSON, name: str, default: float) -> float:
    value = params.get(name, default)
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise ApiError(400, f"Bad Request: wrong parameter {name}") from error


def _chat_id(params: JSON) -> int:
    value = params.get("chat_id")
    # Usernames ("@ward_channel") and missing ids reach no chat the fake knows.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, "Bad Request: chat not found")
    return value


def _checked_text(params: JSON, name: str, limit: int, *, required: bool) -> str | None:
    value = params.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Bad Request: message {name} is empty")
    visible = value
    if str(params.get("parse_mode", "")).lower() == "html":
        visible = _html_visible_text(value)
    if required and not visible.strip():
        raise ApiError(400, f"Bad Request: message {name} is empty")
    if _utf16_length(visible) > limit:
        what = "message is too long" if name == "text" else "message caption is too long"
        raise ApiError(400, f"Bad Request: {what}")
    return value


def _html_visible_text(text: str) -> str:
    """Check HTML as Telegram does (known tags, balanced, no bare "<") and strip it."""
    stack: list[str] = []
    position = 0
    visible: list[str] = []
    while (start := text.find("<", position)) != -1:
        visible.append(text[position:start])
        match = _HTML_TAG.match(text, start)
        if match is None:
            offset = len(text[:start].encode())
            raise _unparsable(f"Unsupported start tag at byte offset {offset}")
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _HTML_TAGS:
            raise _unparsable(f'Unsupported start tag "{tag}"')
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            raise _unparsable(f'Unmatched end tag "{tag}"')
        position = match.end()
    if stack:
        raise _unparsable(f'Can\'t find end tag corresponding to "{stack[-1]}"')
    visible.append(text[position:])
    return html.unescape("".join(visible))


def _unparsable(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


def _checked_markup(params: JSON) -> JSON | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: can't parse inline keyboard button")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _commands_key(params: JSON) -> tuple[str, str]:
    scope = params.get("scope")
    return _scope_key(scope if isinstance(scope, dict) else None), str(
        params.get("language_code") or ""
    )


def _scope_key(scope: Mapping[str, Any] | None) -> str:
    if not scope or dict(scope) == {"type": "default"}:
        return "default"
    return json.dumps(dict(scope), sort_keys=True)


def _utf16_length(text: str) -> int:
    # Telegram counts lengths and entity offsets in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"
