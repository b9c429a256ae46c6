#!/bin/sh
# Runs once, when the postgres volume is first initialised. The api and workers log in as
# provenant_service, a member of provenant_app: it may read and write the tables but owns none, so
# the audit log's grants (SELECT and INSERT only) bind it. The migrate job runs as the owner
# (POSTGRES_USER), which creates the tables and grants provenant_app its rights on them.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v service_password="$PROVENANT_SERVICE_DB_PASSWORD" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'provenant_app') THEN CREATE ROLE provenant_app NOLOGIN; END IF;
END $$;
CREATE ROLE provenant_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'service_password' IN ROLE provenant_app;
SQL
