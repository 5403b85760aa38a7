"""Contracting persistence."""
