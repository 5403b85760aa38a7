"""Registry rules in plain Python."""
