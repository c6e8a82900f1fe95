"""A small client of the Zalo Bot API: every method a POST with a JSON body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

POLL_EXTRA = 10.0  # seconds the HTTP read may take beyond the long poll itself
EMPTY_POLL = 408  # getUpdates' answer when no update came within its timeout
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class ZaloError(Exception):
    """Zalo answered `ok: false` (or an HTTP error without a readable answer)."""

    def __init__(self, code: int, description: str, from_zalo: bool = False) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        # Zalo's own JSON answer, not a proxy's page or an HTTP status alone: only then can
        # it be taken to speak of the person the message was for.
        self.from_zalo = from_zalo


class ZaloClient:
    """Calls `<api_url><token>/<method>`; the base URL is `URBANBELL_ZALO_API_URL`."""

    def __init__(self, token: str, api_url: str, http: httpx.AsyncClient | None = None) -> None:
        self._base = f"{api_url}{token}/"
        self._http = http or httpx.AsyncClient(
            timeout=TIMEOUT, limits=httpx.Limits(max_connections=64)
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        read_within: float | None = None,
    ) -> Any:
        """The method's `result`; raises ZaloError, or httpx's errors when the network fails."""
        response = await self._http.post(
            self._base + method,
            json=dict(params or {}),
            timeout=TIMEOUT if read_within is None else httpx.Timeout(read_within, connect=5.0),
        )
        try:
            body = response.json()
        except ValueError:
            # Not Zalo's answer (a proxy's page, which may echo the URL and the token in it):
            # the status says enough, its text is never kept.
            raise ZaloError(response.status_code, response.reason_phrase or "not JSON") from None
        if not isinstance(body, Mapping):
            raise ZaloError(response.status_code, "not a JSON object")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        if isinstance(code, int) and isinstance(body.get("description"), str):
            raise ZaloError(code, body["description"], from_zalo=True)
        description = str(body.get("description") or response.reason_phrase)
        raise ZaloError(code if isinstance(code, int) else response.status_code, description)

    async def get_me(self) -> Mapping[str, Any]:
        found = await self.call("getMe")
        return found if isinstance(found, Mapping) else {}

    async def get_update(self, wait: int) -> Mapping[str, Any] | None:
        """The next update, waiting up to `wait` seconds; None when none came."""
        try:
            # Zalo wants the timeout as a string.
            found = await self.call("getUpdates", {"timeout": str(wait)}, wait + POLL_EXTRA)
        except ZaloError as error:
            if error.code == EMPTY_POLL:
                return None
            raise
        return found if isinstance(found, Mapping) and found else None

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> None:
        await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def send_photo(self, chat_id: str, photo: str) -> None:
        await self.call("sendPhoto", {"chat_id": chat_id, "photo": photo})
