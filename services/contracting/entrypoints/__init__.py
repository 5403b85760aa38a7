"""How contracting is reached: HTTP API, the registry-events consumer, WSGI entry point."""
