"""Registry persistence and key storage."""
