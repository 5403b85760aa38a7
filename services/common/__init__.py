"""Plumbing shared by every service: settings, database, bus, outbox, idempotent consumer, web, auth."""
