# One image for every Python service of docker-compose.yml: migrate, api, worker, beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 10001 ledger

# Dependencies first (pinned in pyproject.toml, theirs in constraints.txt), so code changes do
# not reinstall them.
COPY pyproject.toml README.md constraints.txt ./
RUN mkdir -p core commands projections query_api workers seed ops \
    && pip install -c constraints.txt . && pip uninstall -y booking-ledger

COPY alembic.ini ./
COPY migrations ./migrations
COPY core ./core
COPY commands ./commands
COPY projections ./projections
COPY query_api ./query_api
COPY workers ./workers
COPY seed ./seed
COPY ops ./ops
# Editable: the code (and alembic.ini, migrations/) stay in /app, where core.settings.ROOT is.
RUN pip install --no-deps -e . && mkdir -p data/heads && chown -R ledger:ledger data \
    && chmod -R 0700 data

USER ledger
EXPOSE 8000
# --no-proxy-headers: X-Forwarded-* are believed only from TRUSTED_PROXIES (the app's setting).
CMD ["uvicorn", "query_api.main:app", "--host", "0.0.0.0", "--port", "8000", "--no-proxy-headers"]
