"""Prefect stage flows: they orchestrate the services over HTTP and keep no state of their own."""
