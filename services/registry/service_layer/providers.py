"""Provider profile changes: by the CSO itself (its own profile) or by an operator (also its status)."""

from __future__ import annotations

from services.common.call import Call
from services.common.errors import NotFound
from services.registry.adapters.orm import Provider, ProviderDistrict
from services.registry.domain.access import check_provider_edit
from services.registry.service_layer.commands import UpdateProvider
from services.registry.service_layer.handlers import caller, check_districts, provider_payload
from services.registry.service_layer.refusals import domain_refusals


def update_provider(call: Call, provider_id: int, command: UpdateProvider) -> Provider:
    """Apply the fields that differ; any real change bumps the version and emits provider.updated."""
    uow, changes = call.uow, dict(command.changes)
    with uow, domain_refusals():
        check_provider_edit(caller(call), provider_id, set(changes))
        provider = uow.session.get(Provider, provider_id)
        if provider is None:
            raise NotFound(f"provider {provider_id} does not exist")
        provider.accreditations  # noqa: B018 (loaded before the commit: nothing may touch the database after it)
        if "districts_served" in changes:
            changes = {**changes, "districts_served": sorted(set(changes["districts_served"]))}
            check_districts(uow.session, changes["districts_served"])
        changed = {name: value for name, value in changes.items() if _current(provider, name) != value}
        if changed:
            for name, value in changed.items():
                _assign(provider, name, value)
            provider.version += 1
            provider.updated_at = call.now
            uow.session.flush()
            uow.emit("provider.updated", provider_payload(provider))
            uow.commit()
        return provider


def _current(provider: Provider, name: str):
    if name == "districts_served":
        return sorted(provider.districts_served)
    return getattr(provider, name)


def _assign(provider: Provider, name: str, value) -> None:
    if name != "districts_served":
        setattr(provider, name, value)
        return
    # Keep the links that stay, so the flush deletes and inserts only what changed.
    wanted = set(value)
    provider.district_links = [link for link in provider.district_links if link.district_code in wanted]
    kept = {link.district_code for link in provider.district_links}
    provider.district_links.extend(ProviderDistrict(district_code=code) for code in sorted(wanted - kept))
