"""Notifications persistence."""
