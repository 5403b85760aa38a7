"""The platform's three services and the plumbing they share (services.common)."""
