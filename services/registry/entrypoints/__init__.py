"""How the registry is reached: HTTP API and WSGI entry point."""
