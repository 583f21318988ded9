"""The pages a person opens in a browser, which the banner lists at start with the server's address: one
(label, path) each. A path with `{widgetId}` is listed once for every widget of the world."""

from __future__ import annotations

PAGES: tuple[tuple[str, str], ...] = (
    ("wallboard", "/wallboard"),
    ("OpenAPI document", "/__admin/openapi.json"),
    ("demo page", "/demo/{widgetId}"),  # a sample shop with the widget: open it and chat
)


def page_urls(base: str, widget_ids: list[str]) -> list[tuple[str, str]]:
    """(label, URL) of every page, in PAGES' order."""
    urls = []
    for label, path in PAGES:
        if "{widgetId}" in path:
            urls += [(label, base + path.format(widgetId=widget_id)) for widget_id in widget_ids]
        else:
            urls.append((label, base + path))
    return urls
