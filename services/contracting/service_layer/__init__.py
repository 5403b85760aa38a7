"""Contracting use cases, each one transaction with its events."""
