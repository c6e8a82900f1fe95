# Urban Bell in a container: `docker compose up` (compose.yaml) runs it with PostgreSQL 16.

# Build the wheel in a throw-away stage, so the image carries no build tools.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core core
COPY bot bot
COPY scheduler scheduler
COPY storage storage
COPY locales locales
COPY urbanbell urbanbell
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    URBANBELL_HTTP_HOST=0.0.0.0 \
    URBANBELL_HTTP_PORT=8080 \
    URBANBELL_DATABASE_URL=sqlite+aiosqlite:////data/urbanbell.db
RUN useradd --system --uid 10001 --home-dir /data --create-home urbanbell
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER urbanbell
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('URBANBELL_HTTP_PORT', '8080'), timeout=4)"
CMD ["urbanbell", "run"]
