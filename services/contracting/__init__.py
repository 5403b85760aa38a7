"""Contracting service: tenders, bids, evaluation, awards, contracts, renewals (the source of truth)."""
