"""A CSO's pages: its home (eligible calls, open bids), bidding, receipts, notices, settings, contracts."""

from __future__ import annotations

from flask import Blueprint, render_template

from services.portal.entrypoints.web.requests import signed_in_as

blp = Blueprint("cso", __name__, url_prefix="/cso")


@blp.get("/")
@signed_in_as("cso")
def home():
    return render_template("cso/home.html")


@blp.get("/notices")
@signed_in_as("cso")
def inbox():
    return render_template("cso/inbox.html")


@blp.get("/contracts")
@signed_in_as("cso")
def contracts():
    return render_template("cso/contracts.html")
