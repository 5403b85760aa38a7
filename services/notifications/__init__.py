"""Notifications service: e-mail, in-app inbox and webhooks, one delivery per event, recipient and channel."""
