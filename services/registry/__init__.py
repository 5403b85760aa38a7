"""Registry service: who takes part (districts, services, CSOs, accreditations, users) and signed tokens."""
