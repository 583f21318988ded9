"""The pages a person opens in a browser, which the banner lists at start with the server's address: one
(label, path) each. A path with `{widgetId}` is listed once for every widget of the world, one with
`{agentId}` once for every human agent (bots have no Hub)."""

from __future__ import annotations

from collections.abc import Sequence

PAGES: tuple[tuple[str, str], ...] = (
    ("wallboard", "/wallboard"),
    ("OpenAPI document", "/__admin/openapi.json"),
    ("demo page", "/demo/{widgetId}"),  # a sample shop with the widget: open it and chat
    ("agent Hub", "/hub?agent={agentId}"),  # signed in as that agent
)


def page_urls(base: str, widget_ids: Sequence[str], agent_ids: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(label, URL) of every page, in PAGES' order."""
    urls = []
    for label, path in PAGES:
        if "{widgetId}" in path:
            urls += [(label, base + path.format(widgetId=widget_id)) for widget_id in widget_ids]
        elif "{agentId}" in path:
            urls += [(label, base + path.format(agentId=agent_id)) for agent_id in agent_ids]
        else:
            urls.append((label, base + path))
    return urls
