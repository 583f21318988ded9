"""A visitor's browser and operating system, read from their user agent the way the vendor reports them (the
Logs and Integration APIs' `browser` and `os`)."""

from __future__ import annotations

import re
from functools import lru_cache

_VERSION = r"(\d+(?:\.\d+)*)"
# First match wins: Edge and Opera carry "Chrome/" too, Chrome carries "Safari/", iOS says "like Mac OS X".
_BROWSERS = (
    ("Edge", re.compile(r"\b(?:Edg|Edge|EdgA|EdgiOS)/" + _VERSION)),
    ("Opera", re.compile(r"\bOPR/" + _VERSION)),
    ("Opera", re.compile(r"\bOpera\b.*\bVersion/" + _VERSION)),
    ("Opera", re.compile(r"\bOpera[/ ]" + _VERSION)),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/" + _VERSION)),
    ("Chrome", re.compile(r"\b(?:Chrome|CriOS)/" + _VERSION)),
    ("Safari", re.compile(r"\bVersion/" + _VERSION + r".*\bSafari/")),
)
_WINDOWS = {"10.0": "10", "6.3": "8.1", "6.2": "8", "6.1": "7", "6.0": "Vista", "5.2": "XP", "5.1": "XP"}
_IOS = re.compile(r"\b(?:iPhone|iPad|iPod)\b.*?\bOS (\d+(?:_\d+)*)")
_ANDROID = re.compile(r"\bAndroid(?: (\d+(?:\.\d+)*))?")
_WINDOWS_NT = re.compile(r"\bWindows NT (\d+\.\d+)")
_MAC = re.compile(r"\bMac OS X(?: (\d+(?:[_.]\d+)*))?")


@lru_cache(maxsize=4096)
def browser_and_os(user_agent: str) -> tuple[str, str]:
    """`("Chrome (57.0.2987.133)", "Apple OS X 10.10.5")` as the sample shows them; "" for what is unknown."""
    browser = next(
        (f"{name} ({found[1]})" for name, pattern in _BROWSERS if (found := pattern.search(user_agent))), ""
    )
    if found := _IOS.search(user_agent):
        os_name = "iOS " + found[1].replace("_", ".")
    elif found := _ANDROID.search(user_agent):
        os_name = f"Android {found[1]}" if found[1] else "Android"
    elif "Windows" in user_agent:
        found = _WINDOWS_NT.search(user_agent)
        version = _WINDOWS.get(found[1]) if found else None
        os_name = f"Windows {version}" if version else "Windows"
    elif found := _MAC.search(user_agent):
        os_name = "Apple OS X " + found[1].replace("_", ".") if found[1] else "Apple OS X"
    elif "Linux" in user_agent:
        os_name = "Linux"
    else:
        os_name = ""
    return browser, os_name
