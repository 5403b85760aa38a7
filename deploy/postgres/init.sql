-- Creates one database per service plus Prefect's, on the first start of an empty data volume
-- (the postgres image runs /docker-entrypoint-initdb.d/*.sql through psql only then).
--
-- Idempotent, so it is also safe to run by hand against an existing server:
--   docker compose exec -T postgres psql -U postgres -f - < deploy/postgres/init.sql
-- PostgreSQL has no CREATE DATABASE IF NOT EXISTS; psql's \gexec runs the statement only when the
-- SELECT returns it, i.e. when the database is missing.
--
-- Each service owns its own database: no service reads another's tables (they talk over the bus and
-- HTTP). The schemas themselves are created by `sscp migrate` (Alembic), not here.

SELECT 'CREATE DATABASE registry'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'registry')\gexec

SELECT 'CREATE DATABASE contracting'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'contracting')\gexec

SELECT 'CREATE DATABASE notifications'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'notifications')\gexec

SELECT 'CREATE DATABASE prefect'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'prefect')\gexec
