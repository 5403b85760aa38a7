"""How notifications is reached: HTTP API, the event worker, WSGI entry point."""
