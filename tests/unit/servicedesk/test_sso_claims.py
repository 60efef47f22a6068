"""From ID token claims to the desk's person and agent: ids, förvaltning and group mapping."""

from __future__ import annotations

from servicedesk.models import AgentRole
from servicedesk.settings import OidcAgentGroup, Settings
from servicedesk.sso import agent_grant, department_of, identity_from_claims, subject_id

ISSUER = "https://login.microsoftonline.com/tenant/v2.0"


def _settings(**values: object) -> Settings:
    return Settings(
        oidc_group_departments={"g-kff": "KFF", "g-sbf": "SBF"},
        oidc_agent_groups={
            "g-it": OidcAgentGroup(role="agent", queues=["IT"]),
            "g-lok": OidcAgentGroup(role="agent", queues=["Lokalvård"]),
            "g-all": OidcAgentGroup(role="agent"),
            "g-admin": OidcAgentGroup(role="admin", queues=["IT"]),
        },
        **values,  # type: ignore[arg-type]
    )


def _claims(**extra: object) -> dict[str, object]:
    return {"iss": ISSUER, "sub": "abc", "name": "Anna A", "email": "a@x.se", **extra}


def test_the_person_id_is_a_stable_32_hex_digest_of_issuer_and_sub() -> None:
    first = identity_from_claims(_claims(), _settings())
    assert first.subject == subject_id(ISSUER, "abc") and len(first.subject) == 32
    assert int(first.subject, 16) >= 0
    # The same sub at another provider is another person.
    assert subject_id("https://other.example", "abc") != first.subject


def test_the_department_claim_wins_over_groups_and_groups_map_otherwise() -> None:
    settings = _settings(oidc_department_claim="dept")
    with_claim = identity_from_claims(_claims(dept="VOF", groups=["g-kff"]), settings)
    assert department_of(with_claim, settings) == "VOF"
    from_group = identity_from_claims(_claims(groups=["g-other", "g-sbf"]), settings)
    assert department_of(from_group, settings) == "SBF"
    assert department_of(identity_from_claims(_claims(groups=["x"]), settings), settings) is None


def test_agent_role_and_queues_come_from_mapped_groups_only() -> None:
    settings = _settings()
    grant = agent_grant(identity_from_claims(_claims(groups=["g-it", "g-lok"]), settings), settings)
    assert grant is not None and grant.role == AgentRole.AGENT
    assert grant.queues == ("IT", "Lokalvård")
    admin = agent_grant(identity_from_claims(_claims(groups=["g-admin"]), settings), settings)
    assert admin is not None and admin.role == AgentRole.ADMIN and admin.queues == ("IT",)
    every = agent_grant(identity_from_claims(_claims(groups=["g-it", "g-all"]), settings), settings)
    assert every is not None and every.queues == ()
    assert (
        agent_grant(identity_from_claims(_claims(groups=["unknown"]), settings), settings) is None
    )
    # A groups claim that is not a list of strings gives no groups at all.
    odd = identity_from_claims(_claims(groups="g-it"), settings)
    assert agent_grant(odd, settings) is None
