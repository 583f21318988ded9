"""What the vendor's contact enrichment knows of a visitor, as the Integration API sample's requester_details
shows it: company, title, address, social profiles and the rest, for a share of the visitors who gave an
email. The lists come from data/requester-details.json; the street and postcode from the visitor's Faker
locale, the city and region from where they are.

make_visitor decides who has them by a hash of the visitor's email and IP address, which the world's seeded
source drew, and draws them from a random source seeded with the same: the same seed gives the same details,
and drawing them changes no other draw.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from functools import cache
from importlib import resources
from typing import Any, NamedTuple


class Known(NamedTuple):
    """What the visitor's own draw already says of them."""

    first: str  # ASCII, lowercase: as in their email
    last: str
    female: bool
    email: str
    company: str
    domain: str | None  # the company's, without its top-level domain
    tld: str
    street: str
    postcode: str
    city: str
    region: str
    country_code: str


@cache
def _data() -> dict[str, Any]:
    text = resources.files("mocksnap.traffic").joinpath("data/requester-details.json").read_text("utf-8")
    return json.loads(text)


@cache
def _networks() -> tuple[list[dict[str, Any]], list[float]]:
    """The social networks and their cumulative weights."""
    networks = _data()["social_networks"]
    return networks, list(itertools.accumulate(float(n["weight"]) for n in networks))


def _handle(known: Known, rng: random.Random) -> str:
    pattern = rng.choice(("{f}{l}", "{f}.{l}", "{f}_{l}", "{f}{l}{n}", "{i}{l}"))
    return pattern.format(f=known.first, l=known.last, i=known.first[:1], n=rng.randrange(1, 100))


def _profiles(known: Known, rng: random.Random) -> list[str]:
    """Up to three social profiles, in the Logs API sample's form: network,handle,id,url."""
    networks, weights = _networks()
    chosen: list[dict[str, Any]] = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        network = rng.choices(networks, cum_weights=weights)[0]
        if network not in chosen:
            chosen.append(network)
    handle = _handle(known, rng)
    return [
        f"{n['network']},{handle},{rng.randrange(10**8, 10**10)},{n['url'].format(handle=handle)}"
        for n in chosen
    ]


def share() -> float:
    """The share of the visitors who gave an email that enrichment knows more of."""
    return float(_data()["share"])


def requester_details(known: Known, rng: random.Random) -> dict[str, Any]:
    """A visitor's details by the Integration API sample's wire names, in its order; empty ones left out."""
    data = _data()
    profiles = _profiles(known, rng)
    details: dict[str, Any] = {
        "name_profile_link": profiles[0].split(",", 3)[3],
        "address": known.street,
        "address_2": rng.choice(data["address_2"]),
        "city": known.city,
        "state": known.region,
        "zip": known.postcode,
        "country": known.country_code,
        "company_name": known.company,
    }
    if known.domain:
        details["company_profile_link"] = data["company_profile"].format(domain=known.domain)
    details["employees"] = rng.choice(data["employees"])
    details["revenue"] = rng.choice(data["revenue"])
    details["title"] = rng.choice(data["titles"])
    if known.domain:
        details["website"] = f"www.{known.domain}.{known.tld}"
    details["social_profile_links"] = profiles
    details["gender"] = data["genders"]["female" if known.female else "male"]
    details["age"] = rng.randrange(19, 71)
    details["influencer_score"] = f"{rng.uniform(0, 100):.1f}"
    details["notes"] = rng.choice(data["notes"])
    details["industry"] = rng.choice(data["industries"])
    email_md5 = hashlib.md5(known.email.encode(), usedforsecurity=False).hexdigest()
    details["avatars"] = [data["avatar"].format(email_md5=email_md5)]
    return {key: value for key, value in details.items() if value != ""}
