"""Fake visitors for the traffic generator: who they are, where they come from, what they browse with.

`make_visitor(rng, fakers, ...)` draws one visitor from the world's seeded `random.Random`: a name and an
email that belong together, a phone in the country's format, a browser's user agent and Accept-Language, a
public IP address, a real city of the country with its region and coordinates, the pages of the site they
came in on and were on when they chatted, where they came from, and the JavaScript variables the site set.
The same seed gives the same visitors, byte for byte (for one Faker version: the name tables are Faker's).

Speed matters (the generator plays well over a thousand chats a second), so nothing slow runs per visitor:
the geography, user agents, pages and formats are tables built at import, and each Faker locale's names and
companies are read once into tables (`Fakers`) that are then drawn from with the world's `random.Random`.
Faker's own providers (a weighted pick over a thousand US first names costs 35 us) are not called per
visitor.
"""

from __future__ import annotations

import random
import re
import threading
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar
from urllib.parse import urlsplit

from mocksnap.traffic import details
from mocksnap.world.models import Visitor

if TYPE_CHECKING:
    from faker import Generator

T = TypeVar("T")


class _Weighted(Generic[T]):
    """Items drawn in proportion to their weights: one `random()` and a bisection."""

    __slots__ = ("_cum", "_hi", "_total", "items")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        self.items: list[T] = []
        self._cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            if weight > 0:
                total += weight
                self.items.append(item)
                self._cum.append(total)
        if not self.items:
            raise ValueError("nothing to draw from")
        self._total, self._hi = total, len(self.items) - 1

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect_right(self._cum, rng.random() * self._total, 0, self._hi)]


# -- geography -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class City:
    name: str  # in English, as GeoIP databases (and so SnapEngage) name it
    region: str  # the ISO 3166-2 subdivision code without the country: "CO" (Colorado), "BE" (Berlin)
    latitude: float
    longitude: float
    weight: float = 1.0
    # Where the city speaks otherwise than its country (Montreal): its own Accept-Language lists and names.
    languages: tuple[tuple[str, float], ...] = ()
    faker_locale: str | None = None


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str  # in English, as the Logs and Integration APIs' `country`
    faker_locale: str
    weight: float  # share of the visitors
    # Accept-Language headers as this country's browsers send them, with their shares; the first tag is the
    # visitor's language.
    languages: tuple[tuple[str, float], ...]
    cities: tuple[City, ...]
    phone_formats: tuple[tuple[str, float], ...]  # "#" a digit, "N" a digit from 2 to 9
    email_domains: tuple[tuple[str, float], ...]  # free-mail providers people there use
    company_tlds: tuple[tuple[str, float], ...]
    google: str  # the Google domain people there search on
    currency: str
    ip_blocks: tuple[int, ...]  # first octets of public address space allocated to ISPs there

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The language tags its visitors put first ("en-US", "es-US"), cities' own included."""
        found: dict[str, None] = {}
        for header, _ in self.languages + tuple(lang for c in self.cities for lang in c.languages):
            found[header.split(",", 1)[0]] = None
        return tuple(found)


def _shares(text: str) -> tuple[tuple[str, float], ...]:
    """`"gmail.com 50 | web.de 20"` as ((item, share), ...): the share is the last word of each item."""
    pairs = (part.strip().rsplit(" ", 1) for part in text.split("|"))
    return tuple((item, float(share)) for item, share in pairs)


def _c(name: str, region: str, lat: float, lon: float, weight: float = 1.0, **more: Any) -> City:
    return City(name, region, lat, lon, weight, **more)


def _country(
    code: str,
    name: str,
    faker_locale: str,
    weight: float,
    *,
    languages: str,
    cities: tuple[City, ...],
    phones: str,
    mail: str,
    tlds: str,
    google: str,
    currency: str,
    ip: str,
) -> Country:
    return Country(
        code,
        name,
        faker_locale,
        weight,
        _shares(languages),
        cities,
        _shares(phones),
        _shares(mail),
        _shares(tlds),
        google,
        currency,
        tuple(int(octet) for octet in ip.split()),
    )


_QUEBEC = {
    "languages": _shares(
        "fr-CA,fr;q=0.9,en-CA;q=0.8,en;q=0.7 60 | fr-CA,fr;q=0.9 25 | en-CA,en;q=0.9,fr-CA;q=0.8 15"
    ),
    "faker_locale": "fr_CA",
}
_NANP_PHONES = "+1 N##-N##-#### 5 | N##-N##-#### 3 | +1 (N##) N##-#### 2"

COUNTRIES: tuple[Country, ...] = (
    _country(
        "US",
        "United States",
        "en_US",
        28,
        languages="en-US,en;q=0.9 70 | en-US 15 | en-US,en;q=0.9,es;q=0.8 8 | es-US,es;q=0.9,en;q=0.8 7",
        cities=(
            _c("New York", "NY", 40.7128, -74.0060, 8),
            _c("Los Angeles", "CA", 34.0522, -118.2437, 6),
            _c("Chicago", "IL", 41.8781, -87.6298, 5),
            _c("Houston", "TX", 29.7604, -95.3698, 4),
            _c("Boulder", "CO", 40.0150, -105.2705, 1),
            _c("Denver", "CO", 39.7392, -104.9903, 3),
            _c("Seattle", "WA", 47.6062, -122.3321, 3),
            _c("San Francisco", "CA", 37.7749, -122.4194, 3),
            _c("Austin", "TX", 30.2672, -97.7431, 3),
            _c("Boston", "MA", 42.3601, -71.0589, 3),
            _c("Atlanta", "GA", 33.7490, -84.3880, 3),
            _c("Miami", "FL", 25.7617, -80.1918, 3),
        ),
        phones=_NANP_PHONES,
        mail="gmail.com 50 | yahoo.com 12 | icloud.com 12 | outlook.com 10 | hotmail.com 8 | aol.com 3"
        " | proton.me 2",
        tlds="com 9 | io 1",
        google="www.google.com",
        currency="USD",
        ip="24 50 66 67 68 71 72 73 74 75 76 96 97 98 99 107 108 173 174",
    ),
    _country(
        "GB",
        "United Kingdom",
        "en_GB",
        10,
        languages="en-GB,en;q=0.9 65 | en-GB,en-US;q=0.9,en;q=0.8 20 | en-GB 15",
        cities=(
            _c("London", "ENG", 51.5074, -0.1278, 8),
            _c("Manchester", "ENG", 53.4808, -2.2426, 3),
            _c("Birmingham", "ENG", 52.4862, -1.8904, 3),
            _c("Leeds", "ENG", 53.8008, -1.5491, 2),
            _c("Bristol", "ENG", 51.4545, -2.5879, 2),
            _c("Edinburgh", "SCT", 55.9533, -3.1883, 2),
            _c("Glasgow", "SCT", 55.8642, -4.2518, 2),
            _c("Cardiff", "WLS", 51.4816, -3.1791, 1),
            _c("Belfast", "NIR", 54.5973, -5.9301, 1),
        ),
        phones="+44 7### ###### 6 | 07### ###### 3 | +44 20 #### #### 1",
        mail="gmail.com 45 | outlook.com 12 | hotmail.co.uk 12 | icloud.com 10 | yahoo.co.uk 8"
        " | btinternet.com 5 | sky.com 3",
        tlds="co.uk 7 | com 3",
        google="www.google.co.uk",
        currency="GBP",
        ip="2 5 31 51 62 81 82 86 90 92 109 212",
    ),
    _country(
        "DE",
        "Germany",
        "de_DE",
        9,
        languages="de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7 50 | de-DE,de;q=0.9 25 | de,en-US;q=0.7,en;q=0.3 15"
        " | de-DE 10",
        cities=(
            _c("Berlin", "BE", 52.5200, 13.4050, 6),
            _c("Hamburg", "HH", 53.5511, 9.9937, 4),
            _c("Munich", "BY", 48.1351, 11.5820, 4),
            _c("Cologne", "NW", 50.9375, 6.9603, 3),
            _c("Frankfurt am Main", "HE", 50.1109, 8.6821, 3),
            _c("Stuttgart", "BW", 48.7758, 9.1829, 2),
            _c("Düsseldorf", "NW", 51.2277, 6.7735, 2),
            _c("Leipzig", "SN", 51.3397, 12.3731, 2),
            _c("Dresden", "SN", 51.0504, 13.7373, 1),
        ),
        phones="+49 15# ######## 4 | +49 17# ####### 3 | 0151 ######## 2 | +49 30 ######## 1",
        mail="gmail.com 30 | web.de 20 | gmx.de 20 | t-online.de 10 | outlook.de 6 | icloud.com 5"
        " | posteo.de 2",
        tlds="de 8 | com 2",
        google="www.google.de",
        currency="EUR",
        ip="31 37 46 77 78 79 84 87 91 93 95 217",
    ),
    _country(
        "FR",
        "France",
        "fr_FR",
        7,
        languages="fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7 50 | fr-FR,fr;q=0.9 30"
        " | fr,fr-FR;q=0.8,en-US;q=0.5,en;q=0.3 20",
        cities=(
            _c("Paris", "IDF", 48.8566, 2.3522, 8),
            _c("Lyon", "ARA", 45.7640, 4.8357, 3),
            _c("Marseille", "PAC", 43.2965, 5.3698, 3),
            _c("Toulouse", "OCC", 43.6047, 1.4442, 2),
            _c("Nice", "PAC", 43.7102, 7.2620, 2),
            _c("Nantes", "PDL", 47.2184, -1.5536, 2),
            _c("Bordeaux", "NAQ", 44.8378, -0.5792, 2),
            _c("Lille", "HDF", 50.6292, 3.0573, 2),
            _c("Strasbourg", "GES", 48.5734, 7.7521, 1),
        ),
        phones="+33 6 ## ## ## ## 5 | 06 ## ## ## ## 3 | +33 7 ## ## ## ## 2",
        mail="gmail.com 40 | orange.fr 12 | hotmail.fr 12 | free.fr 8 | laposte.net 6 | yahoo.fr 6"
        " | sfr.fr 5 | icloud.com 5",
        tlds="fr 8 | com 2",
        google="www.google.fr",
        currency="EUR",
        ip="2 5 37 78 80 82 86 88 90 92 109 176",
    ),
    _country(
        "ES",
        "Spain",
        "es_ES",
        5,
        languages="es-ES,es;q=0.9 55 | es-ES,es;q=0.9,en;q=0.8 30 | es,en-US;q=0.7,en;q=0.3 15",
        cities=(
            _c("Madrid", "MD", 40.4168, -3.7038, 6),
            _c("Barcelona", "CT", 41.3874, 2.1686, 5),
            _c("Valencia", "VC", 39.4699, -0.3763, 3),
            _c("Seville", "AN", 37.3891, -5.9845, 2),
            _c("Málaga", "AN", 36.7213, -4.4214, 2),
            _c("Bilbao", "PV", 43.2630, -2.9350, 1),
            _c("Zaragoza", "AR", 41.6488, -0.8891, 1),
        ),
        phones="+34 6## ### ### 6 | 6## ## ## ## 3 | +34 91# ### ### 1",
        mail="gmail.com 50 | hotmail.com 15 | hotmail.es 10 | outlook.es 8 | yahoo.es 6 | icloud.com 5"
        " | telefonica.net 2",
        tlds="es 7 | com 3",
        google="www.google.es",
        currency="EUR",
        ip="2 5 31 37 77 79 80 81 83 84 88 95 213",
    ),
    _country(
        "NL",
        "Netherlands",
        "nl_NL",
        4,
        languages="nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7 55 | nl-NL,nl;q=0.9 25 | nl,en-US;q=0.7,en;q=0.3 20",
        cities=(
            _c("Amsterdam", "NH", 52.3676, 4.9041, 5),
            _c("Rotterdam", "ZH", 51.9244, 4.4777, 3),
            _c("The Hague", "ZH", 52.0705, 4.3007, 3),
            _c("Utrecht", "UT", 52.0907, 5.1214, 2),
            _c("Eindhoven", "NB", 51.4416, 5.4697, 2),
            _c("Groningen", "GR", 53.2194, 6.5665, 1),
        ),
        phones="+31 6 ######## 6 | 06-######## 3 | +31 20 ### #### 1",
        mail="gmail.com 45 | hotmail.com 12 | outlook.com 10 | ziggo.nl 8 | kpnmail.nl 6 | live.nl 6"
        " | icloud.com 6",
        tlds="nl 8 | com 2",
        google="www.google.nl",
        currency="EUR",
        ip="31 37 77 80 81 82 83 84 85 86 87 145 213",
    ),
    _country(
        "IT",
        "Italy",
        "it_IT",
        4,
        languages="it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7 55 | it-IT,it;q=0.9 30 | it,en-US;q=0.7,en;q=0.3 15",
        cities=(
            _c("Rome", "62", 41.9028, 12.4964, 5),
            _c("Milan", "25", 45.4642, 9.1900, 5),
            _c("Naples", "72", 40.8518, 14.2681, 3),
            _c("Turin", "21", 45.0703, 7.6869, 2),
            _c("Florence", "52", 43.7696, 11.2558, 2),
            _c("Bologna", "45", 44.4949, 11.3426, 2),
            _c("Palermo", "82", 38.1157, 13.3615, 1),
            _c("Venice", "34", 45.4408, 12.3155, 1),
        ),
        phones="+39 3## ### #### 7 | 3## ### #### 3",
        mail="gmail.com 45 | libero.it 15 | hotmail.it 10 | yahoo.it 6 | virgilio.it 6 | outlook.it 5"
        " | alice.it 4 | icloud.com 4",
        tlds="it 8 | com 2",
        google="www.google.it",
        currency="EUR",
        ip="2 5 37 79 80 82 87 93 95 151 176",
    ),
    _country(
        "BR",
        "Brazil",
        "pt_BR",
        6,
        languages="pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7 60 | pt-BR,pt;q=0.9 30 | pt-BR 10",
        cities=(
            _c("São Paulo", "SP", -23.5505, -46.6333, 8),
            _c("Rio de Janeiro", "RJ", -22.9068, -43.1729, 5),
            _c("Belo Horizonte", "MG", -19.9167, -43.9345, 3),
            _c("Brasília", "DF", -15.7939, -47.8828, 2),
            _c("Salvador", "BA", -12.9777, -38.5016, 2),
            _c("Porto Alegre", "RS", -30.0346, -51.2177, 2),
            _c("Curitiba", "PR", -25.4284, -49.2733, 2),
            _c("Recife", "PE", -8.0476, -34.8770, 2),
        ),
        phones="+55 11 9####-#### 4 | +55 N# 9####-#### 3 | 11 9####-#### 2 | 21 9####-#### 1",
        mail="gmail.com 55 | hotmail.com 15 | outlook.com 8 | yahoo.com.br 8 | uol.com.br 5 | bol.com.br 4"
        " | icloud.com 3",
        tlds="com.br 8 | com 2",
        google="www.google.com.br",
        currency="BRL",
        ip="177 179 186 187 189 191 200 201",
    ),
    _country(
        "CA",
        "Canada",
        "en_CA",
        6,
        languages="en-CA,en;q=0.9 50 | en-CA,en-US;q=0.9,en;q=0.8 20 | en-CA,en;q=0.9,fr-CA;q=0.8,fr;q=0.7 15"
        " | en-US,en;q=0.9 15",
        cities=(
            _c("Toronto", "ON", 43.6532, -79.3832, 6),
            _c("Vancouver", "BC", 49.2827, -123.1207, 3),
            _c("Montreal", "QC", 45.5017, -73.5673, 4, **_QUEBEC),
            _c("Calgary", "AB", 51.0447, -114.0719, 2),
            _c("Ottawa", "ON", 45.4215, -75.6972, 2),
            _c("Edmonton", "AB", 53.5461, -113.4938, 2),
            _c("Quebec City", "QC", 46.8139, -71.2080, 1, **_QUEBEC),
            _c("Winnipeg", "MB", 49.8951, -97.1384, 1),
            _c("Halifax", "NS", 44.6488, -63.5752, 1),
        ),
        phones=_NANP_PHONES,
        mail="gmail.com 45 | hotmail.com 12 | outlook.com 10 | icloud.com 10 | yahoo.ca 8 | rogers.com 4"
        " | shaw.ca 3 | videotron.ca 2",
        tlds="ca 7 | com 3",
        google="www.google.ca",
        currency="CAD",
        ip="24 64 65 69 70 99 142 173 174 184",
    ),
    _country(
        "AU",
        "Australia",
        "en_AU",
        4,
        languages="en-AU,en;q=0.9 65 | en-AU,en-GB;q=0.9,en;q=0.8 15 | en-GB,en;q=0.9 10 | en-US,en;q=0.9 10",
        cities=(
            _c("Sydney", "NSW", -33.8688, 151.2093, 6),
            _c("Melbourne", "VIC", -37.8136, 144.9631, 6),
            _c("Brisbane", "QLD", -27.4698, 153.0251, 3),
            _c("Perth", "WA", -31.9505, 115.8605, 3),
            _c("Adelaide", "SA", -34.9285, 138.6007, 2),
            _c("Canberra", "ACT", -35.2809, 149.1300, 1),
            _c("Hobart", "TAS", -42.8821, 147.3272, 1),
        ),
        phones="+61 4## ### ### 6 | 04## ### ### 3 | +61 2 #### #### 1",
        mail="gmail.com 45 | outlook.com 10 | hotmail.com 10 | bigpond.com 10 | icloud.com 10"
        " | yahoo.com.au 6 | optusnet.com.au 3",
        tlds="com.au 8 | com 2",
        google="www.google.com.au",
        currency="AUD",
        ip="1 14 27 49 58 101 110 115 120 121 124",
    ),
    _country(
        "IN",
        "India",
        "en_IN",
        7,
        languages="en-IN,en;q=0.9 45 | en-IN,en-GB;q=0.9,en-US;q=0.8,en;q=0.7 20 | en-IN,en;q=0.9,hi;q=0.8 20"
        " | en-US,en;q=0.9 15",
        cities=(
            _c("Mumbai", "MH", 19.0760, 72.8777, 6),
            _c("Delhi", "DL", 28.7041, 77.1025, 6),
            _c("Bengaluru", "KA", 12.9716, 77.5946, 6),
            _c("Hyderabad", "TG", 17.3850, 78.4867, 4),
            _c("Chennai", "TN", 13.0827, 80.2707, 4),
            _c("Pune", "MH", 18.5204, 73.8567, 3),
            _c("Kolkata", "WB", 22.5726, 88.3639, 3),
            _c("Ahmedabad", "GJ", 23.0225, 72.5714, 2),
        ),
        phones="+91 9#### ##### 5 | +91 N#### ##### 3 | 9#### ##### 2",
        mail="gmail.com 70 | yahoo.co.in 10 | outlook.com 8 | rediffmail.com 6 | hotmail.com 6",
        tlds="in 5 | com 4 | co.in 1",
        google="www.google.co.in",
        currency="INR",
        ip="1 14 27 49 59 103 106 117 122 182",
    ),
    _country(
        "JP",
        "Japan",
        "ja_JP",
        3,
        languages="ja,en-US;q=0.9,en;q=0.8 50 | ja-JP,ja;q=0.9 25 | ja-JP 15 | ja,en-US;q=0.7,en;q=0.3 10",
        cities=(
            _c("Tokyo", "13", 35.6762, 139.6503, 8),
            _c("Osaka", "27", 34.6937, 135.5023, 4),
            _c("Yokohama", "14", 35.4437, 139.6380, 3),
            _c("Nagoya", "23", 35.1815, 136.9066, 2),
            _c("Sapporo", "01", 43.0618, 141.3545, 2),
            _c("Fukuoka", "40", 33.5904, 130.4017, 2),
            _c("Kyoto", "26", 35.0116, 135.7681, 1),
        ),
        phones="+81 90-####-#### 4 | 090-####-#### 3 | 080-####-#### 2 | +81 3-####-#### 1",
        mail="gmail.com 35 | yahoo.co.jp 25 | icloud.com 12 | docomo.ne.jp 10 | ezweb.ne.jp 6 | outlook.jp 6",
        tlds="co.jp 7 | jp 1 | com 2",
        google="www.google.co.jp",
        currency="JPY",
        ip="1 27 36 42 49 58 60 61 106 110 114 118 119 126 133 153",
    ),
    _country(
        "MX",
        "Mexico",
        "es_MX",
        4,
        languages="es-MX,es;q=0.9,en;q=0.8 45 | es-MX,es;q=0.9 30 | es-419,es;q=0.9 15"
        " | es,en-US;q=0.7,en;q=0.3 10",
        cities=(
            _c("Mexico City", "CMX", 19.4326, -99.1332, 8),
            _c("Guadalajara", "JAL", 20.6597, -103.3496, 3),
            _c("Monterrey", "NLE", 25.6866, -100.3161, 3),
            _c("Puebla", "PUE", 19.0414, -98.2063, 2),
            _c("Tijuana", "BCN", 32.5149, -117.0382, 1),
            _c("Mérida", "YUC", 20.9674, -89.5926, 1),
        ),
        phones="+52 55 #### #### 5 | 55 #### #### 3 | +52 33 #### #### 2",
        mail="gmail.com 50 | hotmail.com 25 | outlook.com 10 | yahoo.com.mx 10 | icloud.com 5",
        tlds="com.mx 7 | mx 1 | com 2",
        google="www.google.com.mx",
        currency="MXN",
        ip="177 187 189 200 201",
    ),
    _country(
        "AT",
        "Austria",
        "de_AT",
        2,
        languages="de-AT,de;q=0.9,en-US;q=0.8,en;q=0.7 50 | de-AT,de;q=0.9 20 | de-DE,de;q=0.9,en;q=0.8 15"
        " | de,en-US;q=0.7,en;q=0.3 15",
        cities=(
            _c("Vienna", "9", 48.2082, 16.3738, 6),
            _c("Graz", "6", 47.0707, 15.4395, 2),
            _c("Linz", "4", 48.3069, 14.2858, 2),
            _c("Salzburg", "5", 47.8095, 13.0550, 1),
            _c("Innsbruck", "7", 47.2692, 11.4041, 1),
        ),
        phones="+43 664 ####### 5 | +43 676 ####### 3 | 0664 ####### 2",
        mail="gmail.com 35 | gmx.at 25 | aon.at 10 | outlook.com 8 | icloud.com 6 | chello.at 5 | a1.net 5",
        tlds="at 8 | com 2",
        google="www.google.at",
        currency="EUR",
        ip="77 78 80 81 83 84 86 89 91 93 178 188 212 213",
    ),
)
COUNTRY_BY_CODE = {country.code: country for country in COUNTRIES}


def language_of(accept_language: str) -> str:
    """The two-letter language a visitor reads: the first tag of their Accept-Language ("pt-BR,pt;q=0.9")."""
    return accept_language.split(",", 1)[0].split(";", 1)[0].split("-", 1)[0].strip().lower()


class _Origin(NamedTuple):
    country: Country
    city: City
    accept_language: str
    language: str
    faker_locale: str


def _origins() -> list[tuple[_Origin, float]]:
    """Every (country, city, Accept-Language) a visitor can come with, weighted as a product of shares."""
    pairs: list[tuple[_Origin, float]] = []
    for country in COUNTRIES:
        cities = sum(city.weight for city in country.cities)
        for city in country.cities:
            headers = city.languages or country.languages
            total = sum(weight for _, weight in headers)
            for header, weight in headers:
                origin = _Origin(
                    country, city, header, language_of(header), city.faker_locale or country.faker_locale
                )
                pairs.append((origin, country.weight * city.weight / cities * weight / total))
    return pairs


_ORIGIN_PAIRS = _origins()
# The languages a visitor can be drawn in (the first tag of their Accept-Language), and the Faker locales.
LANGUAGES: tuple[str, ...] = tuple(sorted({origin.language for origin, _ in _ORIGIN_PAIRS}))
FAKER_LOCALES: tuple[str, ...] = tuple(sorted({origin.faker_locale for origin, _ in _ORIGIN_PAIRS}))
_ORIGINS: dict[tuple[str | None, str | None], _Weighted[_Origin]] = {}


def _origins_for(language: str | None, country: str | None) -> _Weighted[_Origin]:
    """The origins of the visitors who speak the language in the country (None: any), built once."""
    key = (language, country)
    found = _ORIGINS.get(key)
    if found is None:
        pairs = [
            (origin, weight)
            for origin, weight in _ORIGIN_PAIRS
            if (language is None or origin.language == language)
            and (country is None or origin.country.code == country)
        ]
        if not pairs:
            where = f"in {country}" if country else "anywhere"
            raise ValueError(f"no visitor speaks {language!r} {where}; languages: {', '.join(LANGUAGES)}")
        found = _ORIGINS[key] = _Weighted(pairs)
    return found


# -- browsers --------------------------------------------------------------------------------------------


class UserAgent(NamedTuple):
    string: str
    weight: float
    browser: str  # what mocksnap.useragent reads: the browser's name ...
    os: str  # ... and the start of the operating system's


USER_AGENTS: tuple[UserAgent, ...] = (
    UserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        18,
        "Chrome",
        "Windows",
    ),
    UserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/125.0.0.0 Safari/537.36",
        10,
        "Chrome",
        "Windows",
    ),
    UserAgent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        8,
        "Chrome",
        "Apple OS X",
    ),
    UserAgent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        7,
        "Safari",
        "Apple OS X",
    ),
    UserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Mobile/15E148 Safari/604.1",
        14,
        "Safari",
        "iOS",
    ),
    UserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/16.6 Mobile/15E148 Safari/604.1",
        4,
        "Safari",
        "iOS",
    ),
    UserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        3,
        "Chrome",
        "iOS",
    ),
    UserAgent(
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        2,
        "Safari",
        "iOS",
    ),
    UserAgent(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        14,
        "Chrome",
        "Android",
    ),
    UserAgent(
        "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
        1,
        "Firefox",
        "Android",
    ),
    UserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        5,
        "Firefox",
        "Windows",
    ),
    UserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        7,
        "Edge",
        "Windows",
    ),
    UserAgent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0",
        2,
        "Firefox",
        "Apple OS X",
    ),
    UserAgent(
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        1,
        "Firefox",
        "Linux",
    ),
    UserAgent(
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
        1,
        "Firefox",
        "Linux",
    ),
    UserAgent(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        1,
        "Chrome",
        "Linux",
    ),
    UserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/123.0.0.0 Safari/537.36 OPR/109.0.0.0",
        2,
        "Opera",
        "Windows",
    ),
)
_USER_AGENTS = _Weighted((ua.string, ua.weight) for ua in USER_AGENTS)


# -- phones ----------------------------------------------------------------------------------------------

_N = "2345678923"  # a digit 0-9 turned into one from 2 to 9 (what "N" asks for)


class _PhoneFormat:
    __slots__ = ("_count", "_format", "_ns")

    def __init__(self, template: str) -> None:
        slots = [ch for ch in template if ch in "#N"]
        self._count = len(slots)
        self._format = template.replace("#", "{}").replace("N", "{}")
        self._ns = tuple(i for i, ch in enumerate(slots) if ch == "N")

    def fill(self, rng: random.Random) -> str:
        digits = list(f"{rng.randrange(10**self._count):0{self._count}d}")
        for i in self._ns:
            digits[i] = _N[int(digits[i])]
        return self._format.format(*digits)


# -- sites -----------------------------------------------------------------------------------------------

_NUMBER = ("#",)  # a path part drawn as a number, not from a list


class _Page(NamedTuple):
    prefix: str
    parts: tuple[str, ...] | None = None  # what follows the prefix, drawn; None for nothing


class _Product(NamedTuple):
    slug: str
    title: str
    usd: float


PRODUCTS: tuple[_Product, ...] = (
    _Product("merino-wool-sweater", "Merino Wool Sweater", 89.0),
    _Product("wireless-earbuds-pro", "Wireless Earbuds Pro", 149.0),
    _Product("leather-weekender-bag", "Leather Weekender Bag", 229.0),
    _Product("trail-running-shoes", "Trail Running Shoes", 129.0),
    _Product("ceramic-pour-over-set", "Ceramic Pour-Over Set", 45.0),
    _Product("linen-duvet-cover", "Linen Duvet Cover", 119.0),
    _Product("smartwatch-s3", "Smartwatch S3", 199.0),
    _Product("kids-rain-jacket", "Kids' Rain Jacket", 49.0),
    _Product("espresso-machine-classic", "Espresso Machine Classic", 349.0),
    _Product("cork-yoga-mat", "Cork Yoga Mat", 59.0),
    _Product("organic-cotton-tee", "Organic Cotton Tee", 25.0),
    _Product("waterproof-backpack", "Waterproof Backpack", 79.0),
)
_PRODUCT_BY_PATH = {f"/products/{p.slug}": p for p in PRODUCTS}
# Rough exchange rates from USD, for prices that look like a shop's in each currency.
_RATES = {
    "USD": 1.0,
    "EUR": 0.92,
    "GBP": 0.79,
    "BRL": 5.1,
    "CAD": 1.36,
    "AUD": 1.5,
    "INR": 83.0,
    "JPY": 150.0,
    "MXN": 17.0,
}


def _shop_price(usd: float, currency: str) -> float:
    value = usd * _RATES[currency]
    if currency in ("JPY", "INR"):
        return float(max(1, round(value / 100)) * 100 - (20 if currency == "JPY" else 1))
    return int(value) + 0.9


def _money(value: float, currency: str) -> str:
    return f"{value:.0f}" if currency == "JPY" else f"{value:.2f}"


_PRICES = {currency: tuple(_shop_price(p.usd, currency) for p in PRODUCTS) for currency in _RATES}
_PRODUCT_PRICE = {
    (p.slug, currency): _money(_PRICES[currency][i], currency)
    for currency in _RATES
    for i, p in enumerate(PRODUCTS)
}

_SLUGS = tuple(p.slug for p in PRODUCTS)
_SHOP_POSTS = ("spring-style-guide", "how-we-source-our-wool", "gift-ideas-under-50", "care-for-your-leather")
_SAAS_POSTS = (
    "10-tips-for-faster-onboarding",
    "whats-new-in-version-5",
    "customer-story-northwind",
    "how-to-automate-your-reports",
)
_ARTICLES = (
    "reset-your-password",
    "update-billing-details",
    "track-your-order",
    "return-policy",
    "two-factor-authentication",
    "export-your-data",
    "delivery-times",
    "change-your-plan",
)
_TERMS = ("refund", "invoice", "delivery+time", "password", "size+guide", "cancel+subscription", "gift+card")


class _Site(NamedTuple):
    entry: _Weighted[_Page]  # where visitors land
    chat: _Weighted[_Page]  # where they are when they chat


def _pages(*pairs: tuple[_Page, float]) -> _Weighted[_Page]:
    return _Weighted(pairs)


SITE_KINDS: dict[str, _Site] = {
    "retail": _Site(
        _pages(
            (_Page("/"), 30),
            (_Page("/products/", _SLUGS), 30),
            (_Page("/collections/sale"), 10),
            (_Page("/collections/new-arrivals"), 8),
            (_Page("/blog/", _SHOP_POSTS), 4),
            (_Page("/search?q=", _TERMS), 4),
            (_Page("/account/orders"), 6),
        ),
        _pages(
            (_Page("/products/", _SLUGS), 30),
            (_Page("/cart"), 15),
            (_Page("/checkout"), 10),
            (_Page("/checkout/shipping"), 5),
            (_Page("/account/orders"), 10),
            (_Page("/account/orders/", _NUMBER), 8),
            (_Page("/pages/shipping-returns"), 8),
            (_Page("/pages/size-guide"), 5),
            (_Page("/pages/contact"), 5),
            (_Page("/"), 4),
        ),
    ),
    "saas": _Site(
        _pages(
            (_Page("/"), 30),
            (_Page("/pricing"), 20),
            (_Page("/features"), 10),
            (_Page("/blog/", _SAAS_POSTS), 15),
            (_Page("/docs/getting-started"), 8),
            (_Page("/integrations/salesforce"), 5),
            (_Page("/login"), 12),
        ),
        _pages(
            (_Page("/pricing"), 25),
            (_Page("/app/dashboard"), 12),
            (_Page("/app/billing"), 10),
            (_Page("/app/settings/team"), 8),
            (_Page("/login"), 8),
            (_Page("/docs/api/authentication"), 6),
            (_Page("/signup"), 6),
            (_Page("/features/integrations"), 6),
            (_Page("/enterprise"), 5),
            (_Page("/contact-sales"), 5),
            (_Page("/help/", _ARTICLES), 5),
        ),
    ),
    "support": _Site(
        _pages(
            (_Page("/"), 35),
            (_Page("/help"), 20),
            (_Page("/help/articles/", _ARTICLES), 25),
            (_Page("/contact"), 10),
            (_Page("/status"), 5),
            (_Page("/account"), 5),
        ),
        _pages(
            (_Page("/help/articles/", _ARTICLES), 30),
            (_Page("/help/search?q=", _TERMS), 10),
            (_Page("/contact"), 20),
            (_Page("/account"), 15),
            (_Page("/account/billing"), 10),
            (_Page("/help"), 10),
            (_Page("/"), 5),
        ),
    ),
}


def site_kind(site: str) -> str:
    """The kind of site an address looks like: "retail" (shop., store.), "saas" (app.), else "support"."""
    host = urlsplit(site).hostname or ""
    if host.startswith(("shop.", "store.")):
        return "retail"
    if host.startswith(("app.", "dashboard.")):
        return "saas"
    return "support"


def _path(page: _Page, rng: random.Random) -> str:
    if page.parts is None:
        return page.prefix
    if page.parts is _NUMBER:
        return page.prefix + str(rng.randrange(10000, 100000))
    return page.prefix + rng.choice(page.parts)


class _Source(NamedTuple):
    referrer: str  # "" for none (typed in, bookmarked, an email client); "{google}" the country's Google
    query: str  # appended to the landing page; "" for none


_CAMPAIGNS = (
    "spring-sale",
    "weekly-digest",
    "new-arrivals",
    "product-update",
    "black-friday",
    "onboarding-day-3",
)
_SOURCES = _Weighted(
    (
        (_Source("https://{google}/", ""), 40),
        (_Source("", ""), 22),
        (_Source("", "?utm_source=newsletter&utm_medium=email&utm_campaign="), 8),
        (_Source("https://{google}/", "?utm_source=google&utm_medium=cpc&utm_campaign=brand-search"), 6),
        (_Source("https://www.bing.com/", ""), 6),
        (_Source("https://l.facebook.com/", "?utm_source=facebook&utm_medium=social"), 5),
        (_Source("https://duckduckgo.com/", ""), 3),
        (_Source("https://l.instagram.com/", "?utm_source=instagram&utm_medium=social"), 3),
        (_Source("https://www.linkedin.com/", ""), 2),
        (_Source("https://t.co/", ""), 2),
        (_Source("https://www.reddit.com/", ""), 2),
        (_Source("https://chatgpt.com/", "?utm_source=chatgpt.com"), 1),
    )
)


# -- people ----------------------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "Oe", "ł": "l", "Ł": "L", "đ": "d"}
)
_FOLD_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str, german: bool = False) -> str:
    """Lower-case ASCII letters and digits of a name, as people write it in an email address: "Müller" is
    "muller" ("mueller" in German), "O'Connor" "oconnor"; "" for a script that has no ASCII letters."""
    if german:
        text = text.translate(_FOLD_GERMAN)
    text = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub("", text.lower())


class _Name(NamedTuple):
    native: str  # as written in the locale's script
    latin: str  # in Latin letters (the same, but for Japanese)
    folded: str  # for an email address


class _Company(NamedTuple):
    name: str
    domain: str | None  # its web domain without the TLD ("collinstate"), None when it has none in ASCII


# Words of a company's name that are its legal form or a joiner, not part of its domain.
_NOISE_WORDS = """
    and und et y e en inc llc ltd plc group sons gmbh ag kg kgaa ohg gbr mbh co stiftung ev eg gesbr og
    sa sarl sas fils spa srl figli sl sll slu sad sat scp scom scoop hnos hijos asociados cv sc rl ac bv nv
    groep ltda me ei filhos
"""
_COMPANY_NOISE = frozenset(_NOISE_WORDS.split())
_WORD = re.compile(r"[^\s,]+")


def _company_domain(name: str, german: bool) -> str | None:
    words = [w for w in (ascii_fold(part, german) for part in _WORD.findall(name)) if w]
    words = [w for w in words if w not in _COMPANY_NOISE]
    if not words:
        return None
    joined = "".join(words[:2])
    return joined if len(joined) <= 20 else words[0]


class People:
    """One Faker locale's names and companies, read once, drawn with the world's random source."""

    def __init__(self, locale: str, faker: Generator) -> None:
        self.locale = locale
        german = locale.startswith("de")
        person = faker.provider("faker.providers.person")
        if locale == "ja_JP":
            # (kanji, katakana, romaji) triples: a name in kanji with its reading in Latin letters.
            def pairs(attribute: str) -> _Weighted[_Name]:
                found = getattr(person, attribute)
                return _Weighted((_Name(p[0], p[2], ascii_fold(p[2])), 1.0) for p in found)

            self.female, self.male = pairs("first_name_female_pairs"), pairs("first_name_male_pairs")
            self.last = pairs("last_name_pairs")
        else:

            def names(attribute: str) -> _Weighted[_Name]:
                found = getattr(person, attribute, None) or person.first_names
                weights = found.items() if isinstance(found, dict) else ((n, 1.0) for n in found)
                return _Weighted((_Name(n, n, ascii_fold(n, german)), float(w)) for n, w in weights)

            self.female, self.male = names("first_names_female"), names("first_names_male")
            self.last = names("last_names")
        self.family_name_first = locale == "ja_JP"  # written "Sato Akira" in kanji
        self.two_surnames = locale.startswith("es")  # many write both their family names
        # A pool of companies drawn once with a seed of the locale's own, whatever the order locales load in.
        faker.seed_instance(zlib.crc32(locale.encode()))
        self.companies: tuple[_Company, ...] = tuple(
            _Company(name, _company_domain(name, german)) for name in (faker.company() for _ in range(256))
        )
        # Streets and postcodes for the requester details enrichment knows of some visitors (after the
        # companies, so that these change none of them).
        self.addresses: tuple[tuple[str, str], ...] = tuple(
            (faker.street_address(), faker.postcode()) for _ in range(128)
        )


class Fakers:
    """Faker generators by locale, each created once (creating one costs 10-30 ms, importing Faker 100 ms),
    and each locale's `People` tables read from it once.

    `seeded(locale, rng)` hands a generator re-seeded from the world's random source, for what the tables do
    not cover; `make_visitor` draws only from the tables. So one instance serves every run of the process
    (`FAKERS`), whatever ran before, and can be warmed in another thread while a run draws from it.
    """

    PROVIDERS = (
        "faker.providers.person",
        "faker.providers.company",
        "faker.providers.internet",
        "faker.providers.address",
        "faker.providers.phone_number",
        "faker.providers.lorem",
    )

    def __init__(self) -> None:
        self._fakers: dict[str, Generator] = {}
        self._people: dict[str, People] = {}
        self._loading = threading.Lock()

    def get(self, locale: str) -> Generator:
        faker = self._fakers.get(locale)
        if faker is None:
            with self._loading:
                faker = self._fakers.get(locale)
                if faker is None:
                    from faker import Faker  # imported on first use: it is slow to import

                    faker = self._fakers[locale] = Faker(locale, providers=list(self.PROVIDERS))[locale]
        return faker

    def seeded(self, locale: str, rng: random.Random) -> Generator:
        faker = self.get(locale)
        faker.seed_instance(rng.getrandbits(32))
        return faker

    def people(self, locale: str) -> People:
        found = self._people.get(locale)
        if found is None:
            faker = self.get(locale)
            with self._loading:
                found = self._people.get(locale)
                if found is None:
                    found = self._people[locale] = People(locale, faker)
        return found

    def warm(self, locales: Sequence[str] = FAKER_LOCALES) -> Fakers:
        """Load every locale now (about half a second for all, Faker's import included), so that no visitor
        pays for it later (a locale's first visitor otherwise waits 10-60 ms)."""
        for locale in locales:
            self.people(locale)
        return self


FAKERS = Fakers()


_FORMATS = {
    country.code: _Weighted((_PhoneFormat(f), w) for f, w in country.phone_formats) for country in COUNTRIES
}
_FREE_MAIL = {country.code: _Weighted(country.email_domains) for country in COUNTRIES}
_TLDS = {country.code: _Weighted(country.company_tlds) for country in COUNTRIES}
# How people build their address from their name: f first name, l last name, i initial, n a number.
_LOCAL_PARTS = _Weighted(
    (
        ("{f}.{l}", 30),
        ("{f}{l}", 12),
        ("{i}{l}", 10),
        ("{f}.{l}{n}", 10),
        ("{f}{n}", 8),
        ("{f}_{l}", 5),
        ("{l}.{f}", 5),
        ("{l}{i}", 3),
    )
)
_WORK_LOCAL_PARTS = _Weighted((("{f}.{l}", 50), ("{i}{l}", 20), ("{f}", 20), ("{i}.{l}", 10)))
COMPANY_EMAIL_SHARE = 0.3  # of the addresses, at the visitor's company rather than a free-mail provider


def _local_part(pattern: str, first: str, last: str, rng: random.Random) -> str:
    if "{n}" in pattern:
        number = str(rng.randrange(1965, 2006)) if rng.random() < 0.5 else str(rng.randrange(1, 100))
    else:
        number = ""
    return pattern.format(f=first, l=last, i=first[:1], n=number)


# -- the visitor ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitorProfile:
    """Who the visitor is, whatever of it they shared: the Visitor holds only what they gave (an email, a
    phone), this what they would give when asked, and what the chat needs (their language)."""

    language: str  # two letters: the language they chat in
    name: str
    first_name: str
    email: str
    phone: str
    company: str


_PLANS = _Weighted(
    (("free", 30), ("trial", 20), ("starter", 20), ("pro", 20), ("business", 8), ("enterprise", 2))
)
_TIERS = ("standard", "standard", "standard", "silver", "gold", "platinum")


def _variables(
    kind: str, rng: random.Random, currency: str, page_path: str, identified: bool
) -> list[tuple[str, str]]:
    """The JavaScript variables a site of the kind sets, as its chat widget reports them; a user's id only
    when they are logged in (`identified`), drawn all the same so that it changes no later draw."""
    number = rng.randrange(10000, 100000)
    user_id = f"u-{number}"
    found: list[tuple[str, str]] = []
    if kind == "retail":
        product = _PRODUCT_BY_PATH.get(page_path)
        if product is not None:
            found.append(("productName", product.title))
            found.append(("productPrice", _PRODUCT_PRICE[product.slug, currency]))
        items = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4))
        prices = _PRICES[currency]
        total = sum(prices[rng.randrange(len(prices))] for _ in range(items))
        found += [("cartValue", _money(total, currency)), ("cartItems", str(items)), ("currency", currency)]
        if identified:
            found.append(("userId", user_id))
    elif kind == "saas":
        plan = _PLANS.pick(rng)
        found.append(("plan", plan))
        if plan == "trial":
            found.append(("trialDaysLeft", str(rng.randrange(1, 15))))
        found.append(("seats", str(1 if plan == "free" else rng.choice((1, 2, 3, 5, 5, 10, 25)))))
        if identified:
            found.append(("userId", user_id))
            found.append(("accountId", f"acc-{number // 10}"))
    else:
        found.append(("customerTier", rng.choice(_TIERS)))
        found.append(("openTickets", str(rng.choice((0, 0, 0, 1, 1, 2)))))
        if identified:
            found.append(("userId", user_id))
    return found


def make_visitor(
    rng: random.Random,
    fakers: Fakers,
    *,
    site: str = "https://www.example.com",
    kind: str | None = None,
    language: str | None = None,
    country: str | None = None,
    email_share: float = 0.7,
    phone_share: float = 0.3,
    name_share: float = 1.0,
) -> tuple[Visitor, VisitorProfile]:
    """A visitor of `site`, drawn from `rng` alone (the same draws give the same visitor).

    `kind` ("retail", "saas", "support"; by default what the site's address looks like) picks the pages and
    the JavaScript variables; `language` (two letters, one of LANGUAGES) and `country` (ISO code) narrow where
    they come from. The Visitor has their email with probability `email_share`, their phone with
    `phone_share`, their name with `name_share`; the profile always has all three. Every share is drawn
    whatever its value, so changing one changes no other field of the visitors.
    """
    origin = _origins_for(language, country).pick(rng)
    place, city = origin.country, origin.city
    people = fakers.people(origin.faker_locale)

    # Who: a name and an email that go together.
    female = rng.random() < 0.5
    first = (people.female if female else people.male).pick(rng)
    last = people.last.pick(rng)
    if people.family_name_first and rng.random() < 0.7:
        name, first_name = f"{last.native} {first.native}", first.native
    else:
        name, first_name = f"{first.latin} {last.latin}", first.latin
    if people.two_surnames and rng.random() < 0.4:
        name = f"{name} {people.last.pick(rng).latin}"
    company = people.companies[rng.randrange(len(people.companies))]
    first_part, last_part = first.folded or "user", last.folded or str(rng.randrange(100, 1000))
    if company.domain and rng.random() < COMPANY_EMAIL_SHARE:
        local = _local_part(_WORK_LOCAL_PARTS.pick(rng), first_part, last_part, rng)
        email = f"{local}@{company.domain}.{_TLDS[place.code].pick(rng)}"
    else:
        local = _local_part(_LOCAL_PARTS.pick(rng), first_part, last_part, rng)
        email = f"{local}@{_FREE_MAIL[place.code].pick(rng)}"
    phone = _FORMATS[place.code].pick(rng).fill(rng)

    # From where, with what.
    bits = rng.getrandbits(24)
    ip = f"{rng.choice(place.ip_blocks)}.{bits >> 16}.{(bits >> 8) & 255}.{(bits & 255) % 254 + 1}"
    latitude = round(city.latitude + (rng.random() - 0.5) * 0.04, 4)
    longitude = round(city.longitude + (rng.random() - 0.5) * 0.04, 4)
    user_agent = _USER_AGENTS.pick(rng)

    # Which pages.
    base = site.rstrip("/")
    kind = kind or site_kind(site)
    pages = SITE_KINDS[kind]
    source = _SOURCES.pick(rng)
    query = source.query + rng.choice(_CAMPAIGNS) if source.query.endswith("=") else source.query
    entry_path = _path(pages.entry.pick(rng), rng)
    if "?" in entry_path and query:
        query = "&" + query[1:]
    entry_url = base + entry_path + query
    if rng.random() < 0.2:
        page_path, page_url = entry_path, entry_url
    else:
        page_path = _path(pages.chat.pick(rng), rng)
        page_url = base + page_path
    referrer = source.referrer.replace("{google}", place.google)

    shares_email = rng.random() < email_share
    shares_phone = rng.random() < phone_share
    shares_name = rng.random() < name_share
    variables = _variables(kind, rng, place.currency, page_path, shares_email)
    visitor = Visitor(
        email=email if shares_email else None,
        name=name if shares_name else None,
        phone=phone if shares_phone else None,
        user_agent=user_agent,
        locale=origin.accept_language,
        ip_address=ip,
        page_url=page_url,
        referrer_url=referrer or None,
        entry_url=entry_url,
        country_code=place.code,
        country=place.name,
        region=city.region,
        city=city.name,
        latitude=latitude,
        longitude=longitude,
        javascript_variables=variables,
    )
    # What enrichment knows of a share of those who gave an email: from a source of their own (see details),
    # made only for them (making one costs more than drawing the details).
    seed = f"{email}|{ip}"
    if shares_email and zlib.crc32(seed.encode()) < details.share() * 2**32:
        more = random.Random(seed)
        street, postcode = people.addresses[more.randrange(len(people.addresses))]
        known = details.Known(
            first_part, last_part, female, email, company.name, company.domain, _TLDS[place.code].pick(more),
            street, postcode, city.name, city.region, place.code,
        )  # fmt: skip
        visitor.details = details.requester_details(known, more)
    profile = VisitorProfile(
        language=origin.language,
        name=name,
        first_name=first_name,
        email=email,
        phone=phone,
        company=company.name,
    )
    return visitor, profile
