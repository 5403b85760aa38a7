"""Contracting rules in plain Python: no Flask, SQLAlchemy, marshmallow, kombu or Prefect here."""
