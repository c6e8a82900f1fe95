"""`/healthz`, `/readyz` and `/metrics`: what a supervisor, a load balancer and Prometheus ask."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Prometheus' text format, version 0.0.4, as prometheus_client writes it.
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def health_routes(
    unready: Callable[[], Awaitable[list[str]]], metrics: Callable[[], Awaitable[bytes]]
) -> list[Route]:
    """`/healthz` answers while the process serves; `/readyz` is 503 with the reasons while
    the instance should not take traffic (`unready` names them); `/metrics` is `metrics()`."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        problems = await unready()
        if problems:
            return JSONResponse({"status": "unready", "problems": problems}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def serve_metrics(request: Request) -> Response:
        return Response(await metrics(), media_type=METRICS_TYPE)

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/metrics", serve_metrics, methods=["GET"]),
    ]
