# syntax=docker/dockerfile:1
#
# One image for every Python process of the platform: the three APIs (gunicorn), the outbox relays,
# the bus consumers, the flow bridge, the migrations and the Prefect process worker. The process is
# chosen by the command in docker-compose.yml. No secret is baked in: every credential comes from the
# environment at run time (.env.example lists them).

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------------------
# builder: resolve and install the project into a self-contained virtualenv at /opt/venv
# ---------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml or constraints.txt
# change, not on every source edit. The list is read from pyproject.toml itself, so it cannot drift.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt

# Then the project itself (a regular, non-editable install: the code lives in the venv).
COPY . .
# The portal's message catalogues are compiled here (the .mo files are build output, not in git).
RUN pybabel compile -d services/portal/translations \
    && pip install -c constraints.txt . \
    && sscp --help > /dev/null

# ---------------------------------------------------------------------------------------------------
# runtime: the venv, the gunicorn config, a non-root user; no compiler, no pip cache, no secrets
# ---------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VAR_DIR=/app/var \
    PREFECT_HOME=/app/var/prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    LOG_FORMAT=json

# A fixed numeric uid/gid so volume ownership is predictable and runAsNonRoot checks can verify it.
RUN groupadd --system --gid 10001 sscp \
    && useradd --system --uid 10001 --gid sscp --home-dir /app --no-create-home --shell /usr/sbin/nologin sscp

WORKDIR /app

COPY --from=builder /opt/venv /opt/venv
# gunicorn is started with `-c deploy/gunicorn.conf.py`, relative to WORKDIR.
COPY deploy/ /app/deploy/

# VAR_DIR must be writable by the service user. /app/var/keys exists in the image so that a named
# volume mounted there (registry-api's signing keys, contracting-api's documents) is created owned by the service user.
RUN mkdir -p /app/var/keys /app/var/prefect /app/var/documents \
    && chown -R sscp:sscp /app/var \
    && chmod 0700 /app/var/keys

USER 10001:10001

EXPOSE 5001 5002 5003

# Each compose service sets its own command; this default only prints the available ones.
CMD ["sscp", "--help"]
