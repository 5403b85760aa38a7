"""Deployment definitions and process configuration (gunicorn, Procfile, Prefect deployments)."""
