"""The message bus: envelope, topology, connections, outbox relay and idempotent consumer."""
