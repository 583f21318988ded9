"""Integration API, legacy XML: the `<case>` document against the vendor's two XML samples (element order,
attributes, CDATA), its values against the Logs API record of the same case, and well-formedness whatever
text a case holds, checked by three real parsers (ElementTree, minidom, strict SAX)."""

from __future__ import annotations

import copy
import io
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET
import xml.sax
import xml.sax.handler
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mocksnap.api.logs import case_json
from mocksnap.clock import ManualClock
from mocksnap.webhooks.legacy_xml import cdata, created_at, integration_xml, languages, text, transcript_date
from mocksnap.world import World
from mocksnap.world.models import Case, Visitor
from tests.conftest import MONDAY_MORNING_BERLIN, ORG_ID, SAMPLES, SUPPORT_WIDGET, default_document

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
CHROME_ON_WINDOWS_7 = (
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534.3 (KHTML, like Gecko) Chrome/6.0.472.63"
)
SAMPLE_CREATED = datetime(2010, 10, 18, 1, 48, 18, 623000, tzinfo=UTC)  # the samples' created_at


def sample(name: str) -> str:
    """The legacy XML sample of a reference document, as it stands (tests/samples/README.md)."""
    return (SAMPLES / name).read_text().strip()


HELP_ARTICLE = sample("legacy-xml-help-article.xml")
# The developer reference's copy lost the `<code>` tags around the language codes (the help article has them).
DEVELOPER_REFERENCE = re.sub(
    r"^(\s*)(<!\[CDATA\[[^\]]*\]\]>)\s*$",
    r"\1<code>\2</code>",
    sample("legacy-xml-developer-reference.xml"),
    flags=re.M,
)


# -- parsing -------------------------------------------------------------------------------------------------


class _Strict(xml.sax.handler.ErrorHandler):
    def warning(self, exception: Exception) -> None:
        raise exception

    def error(self, exception: Exception) -> None:
        raise exception

    def fatalError(self, exception: Exception) -> None:
        raise exception


class _Recorder(xml.sax.handler.ContentHandler, xml.sax.handler.LexicalHandler):
    """Leaf elements as (path, text), and which paths hold CDATA and which hold character data outside it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.texts: list[list[str]] = []
        self.children: list[int] = []
        self.leaves: list[tuple[str, str]] = []
        self.in_cdata = False
        self.cdata_paths: set[str] = set()
        self.text_paths: set[str] = set()

    def startElement(self, name: str, attrs: Any) -> None:
        if self.children:
            self.children[-1] += 1
        self.stack.append(name)
        self.texts.append([])
        self.children.append(0)

    def endElement(self, name: str) -> None:
        path = "/".join(self.stack)
        if self.children.pop() == 0:
            self.leaves.append((path, "".join(self.texts[-1])))
        self.texts.pop()
        self.stack.pop()

    def characters(self, content: str) -> None:
        self.texts[-1].append(content)
        path = "/".join(self.stack)
        if self.in_cdata:
            self.cdata_paths.add(path)
        elif content.strip():
            self.text_paths.add(path)

    def startCDATA(self) -> None:
        self.in_cdata = True
        self.cdata_paths.add("/".join(self.stack))  # an empty section too

    def endCDATA(self) -> None:
        self.in_cdata = False


def sax(document: bytes) -> _Recorder:
    """Strict SAX: any warning or error raises; no external entities."""
    recorder = _Recorder()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, False)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(recorder)
    parser.setErrorHandler(_Strict())
    parser.setProperty(xml.sax.handler.property_lexical_handler, recorder)
    parser.parse(io.BytesIO(document))
    return recorder


def et_leaves(element: ET.Element, prefix: str = "") -> list[tuple[str, str]]:
    path = prefix + element.tag
    if len(element) == 0:
        return [(path, "".join(element.itertext()))]
    return [leaf for child in element for leaf in et_leaves(child, path + "/")]


def dom_leaves(node: Any, prefix: str = "") -> list[tuple[str, str]]:
    path = prefix + node.tagName
    elements = [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]
    if not elements:
        return [
            (
                path,
                "".join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE)),
            )
        ]
    return [leaf for child in elements for leaf in dom_leaves(child, path + "/")]


def parse(document: bytes) -> ET.Element:
    """The document through all three parsers, which must agree on every leaf; its ElementTree root."""
    assert document.startswith(DECLARATION)
    document.decode("utf-8")  # strict UTF-8
    root = ET.fromstring(document)
    dom = xml.dom.minidom.parseString(document)
    leaves = et_leaves(root)
    assert dom_leaves(dom.documentElement) == leaves
    assert sax(document).leaves == leaves
    return root


def skeleton(element: ET.Element) -> tuple[Any, ...]:
    """Tag, attributes and children's skeletons, a run of alike children (an array's items) counted once."""
    children: list[tuple[Any, ...]] = []
    for child in element:
        shape = skeleton(child)
        if not children or children[-1] != shape:
            children.append(shape)
    return element.tag, tuple(sorted(element.attrib.items())), tuple(children)


def without(element: ET.Element, *tags: str) -> ET.Element:
    element = copy.deepcopy(element)
    for child in [c for c in element if c.tag in tags]:
        element.remove(child)
    return element


def paths(element: ET.Element, prefix: str = "") -> dict[str, tuple[tuple[str, str], ...]]:
    """Every element path and its attributes."""
    path = prefix + element.tag
    found = {path: tuple(sorted(element.attrib.items()))}
    for child in element:
        found |= paths(child, path + "/")
    return found


def value(root: ET.Element, path: str) -> str | None:
    found = root.find(path)
    return None if found is None else "".join(found.itertext())


def pairs(root: ET.Element, array: str) -> list[tuple[str, str]]:
    return [(value(item, "name") or "", value(item, "value") or "") for item in root.findall(f"{array}/*")]


def transcripts(root: ET.Element) -> list[tuple[str, str, str, str]]:
    return [
        (value(t, "id") or "", value(t, "date") or "", value(t, "alias") or "", value(t, "message") or "")
        for t in root.findall("transcripts/transcript")
    ]


# -- cases ---------------------------------------------------------------------------------------------------


def full_visitor() -> Visitor:
    return Visitor(
        email="test@test.com",
        name="Jim Tester",
        user_agent=CHROME_ON_WINDOWS_7,
        locale="en-US,de-DE;q=0.8",
        ip_address="67.174.108.196",
        page_url="http://www.snapengage.com/demo/integrationapi.html",
        referrer_url="http://refering.url/",
        entry_url="http://entry.url/",
        country_code="US",
        country="United States",
        region="CO",
        city="Boulder",
        latitude=39.9147,
        longitude=-105.080902,
        javascript_variables=[("userid", "ab123456789")],
    )


def full_chat(world: World) -> Case:
    """A chat with every element of the developer reference's sample but the deprecated plugins."""
    case = world.start_case(
        world.orgs[ORG_ID], SUPPORT_WIDGET, full_visitor(), "Testing the Integration API..."
    )
    world.scheduler.advance(1.2)
    world.accept(case, "sam@example.com")
    world.scheduler.advance(1)
    world.agent_message(case, "sam@example.com", "Hello, ")
    world.scheduler.advance(5)
    world.visitor_message(case, "This is a test.")
    world.label(case, "note", "this is a note entered by the agent")
    world.scheduler.advance(8)
    world.agent_message(case, "sam@example.com", "ok. thank's for testing. ")
    world.close(case, "agent")
    return case


# -- against the samples -------------------------------------------------------------------------------------


def test_the_samples_parse() -> None:
    for document in (HELP_ARTICLE, DEVELOPER_REFERENCE):
        parse(document.encode())


def test_a_full_chat_has_the_developer_reference_elements_in_its_order(world: World) -> None:
    document = integration_xml(world, full_chat(world))
    root = parse(document)
    reference = ET.fromstring(DEVELOPER_REFERENCE.encode())
    assert [child.tag for child in root] == [c.tag for c in reference if c.tag != "plugins"] == [
        "id", "url", "requested_by", "description", "created_at", "page_url", "ip_address", "browser",
        "os", "country_code", "country", "region", "city", "latitude", "longitude", "source_id", "languages",
        "javascript_variables", "operator_variables", "labels", "transcripts", "chat_waittime",
        "chat_duration", "referrer_url", "entry_url",
    ]  # fmt: skip
    # Every element, its attributes (type="datetime" / "integer" / "array") and its children, in order.
    assert skeleton(root) == skeleton(without(reference, "plugins"))


def test_cdata_is_exactly_where_the_sample_has_it(world: World) -> None:
    ours = sax(integration_xml(world, full_chat(world)))
    theirs = sax(DEVELOPER_REFERENCE.encode())
    plugins = {p for p in theirs.text_paths | theirs.cdata_paths if p.startswith("case/plugins")}
    assert ours.cdata_paths == theirs.cdata_paths == {
        "case/id", "case/requested_by", "case/description", "case/city",
        "case/languages/language/name", "case/languages/language/code",
        "case/javascript_variables/javascript_variable/name",
        "case/javascript_variables/javascript_variable/value",
        "case/operator_variables/operator_variable/name", "case/operator_variables/operator_variable/value",
        "case/labels/label/name", "case/labels/label/value", "case/referrer_url", "case/entry_url",
    }  # fmt: skip
    assert ours.text_paths == theirs.text_paths - plugins
    assert not ours.cdata_paths & ours.text_paths


def test_every_help_article_element_is_there_but_the_deprecated_ones(world: World) -> None:
    ours = paths(parse(integration_xml(world, full_chat(world))))
    help_article = paths(ET.fromstring(HELP_ARTICLE.encode()))
    deprecated = {p for p in help_article if p.startswith(("case/plugins", "case/snapshot_image_url"))}
    assert set(help_article) - deprecated <= set(ours)
    assert {p: a for p, a in help_article.items() if p not in deprecated} == {
        p: a for p, a in ours.items() if p in help_article
    }
    assert set(ours) - set(help_article) == {
        "case/labels", "case/labels/label", "case/labels/label/name", "case/labels/label/value",
        "case/referrer_url", "case/entry_url",
    }  # fmt: skip


# -- values --------------------------------------------------------------------------------------------------


def test_a_chat_at_the_samples_instant_has_the_samples_formats(world: World, clock: ManualClock) -> None:
    clock.set(SAMPLE_CREATED)
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, full_visitor(), "Hi,")
    world.scheduler.advance(5.4)
    world.accept(case, "sam@example.com")
    world.scheduler.advance(3.0)  # 01:48:27.023
    world.agent_message(case, "sam@example.com", "Hello, ")
    world.scheduler.advance(13.976)  # 01:48:40.999: a date shows the second it is in
    world.visitor_message(case, "This is a test.")
    world.label(case, "note", "this is a note entered by the agent")
    world.scheduler.advance(8)
    world.agent_message(case, "sam@example.com", "ok. thank's for testing. ")
    world.scheduler.advance(1.1)
    world.close(case, "agent")
    root = parse(integration_xml(world, case))

    assert value(root, "id") == case.case_id
    assert value(root, "url") == f"https://www.snapengage.com/viewcase?c={case.case_id}"
    assert value(root, "requested_by") == "test@test.com"
    assert value(root, "description") == "Hi,"
    assert value(root, "created_at") == "2010-10-18T01:48:18.623Z"
    assert (value(root, "browser"), value(root, "os")) == ("Chrome (6.0.472.63)", "Windows 7")
    assert (value(root, "latitude"), value(root, "longitude")) == ("39.914700", "-105.080902")
    assert value(root, "source_id") == "2"
    assert [(value(lang, "name"), value(lang, "code")) for lang in root.findall("languages/language")] == [
        ("English", "en-US"),
        ("German", "de-DE"),
    ]
    assert transcripts(root) == [
        ("", "Mon Oct 18 01:48:18 UTC 2010", "visitor", "Hi,"),
        ("sam@example.com", "Mon Oct 18 01:48:27 UTC 2010", "Sam", "Hello, "),
        ("", "Mon Oct 18 01:48:40 UTC 2010", "visitor", "This is a test."),
        ("sam@example.com", "Mon Oct 18 01:48:48 UTC 2010", "Sam", "ok. thank's for testing. "),
    ]
    # Waited from 01:48:18.623 to the first answer at 01:48:27.023; closed at 01:48:50.099.
    assert (value(root, "chat_waittime"), value(root, "chat_duration")) == ("8", "31")
    logs = case_json(world, world.orgs[ORG_ID], case)
    assert (int(value(root, "chat_waittime")), int(value(root, "chat_duration"))) == (
        logs["chat_waittime"],
        logs["chat_duration"],
    )
    assert pairs(root, "javascript_variables") == [("userid", "ab123456789")]
    assert (
        pairs(root, "labels")
        == pairs(root, "operator_variables")
        == [("note", "this is a note entered by the agent")]
    )
    assert (value(root, "referrer_url"), value(root, "entry_url")) == (
        "http://refering.url/",
        "http://entry.url/",
    )


def test_the_xml_and_the_logs_record_of_a_case_agree(world: World) -> None:
    case = full_chat(world)
    world.scheduler.advance(60)  # closed: nothing runs on
    root = parse(integration_xml(world, case))
    logs = case_json(world, world.orgs[ORG_ID], case)
    for name in ("id", "url", "requested_by", "description", "page_url", "ip_address", "browser", "os",
                 "country_code", "country", "region", "city", "referrer_url", "entry_url"):  # fmt: skip
        assert value(root, name) == logs[name], name
    for name in ("source_id", "chat_waittime", "chat_duration"):
        assert int(value(root, name) or "") == logs[name], name
    for name in ("latitude", "longitude"):
        assert float(value(root, name) or "") == pytest.approx(logs[name], abs=5e-7)
    assert value(root, "created_at") == created_at(logs["created_at_date"])
    assert [code for code in re.split(r";q=[\d.]+,?|,", logs["language_code"]) if code] == [
        value(lang, "code") for lang in root.findall("languages/language")
    ]
    for array in ("javascript_variables", "operator_variables", "labels"):
        assert pairs(root, array) == [(p["name"], p["value"]) for p in logs[array]], array
    assert transcripts(root) == [
        (
            line["id"].removeprefix("wc:"),
            transcript_date(line["date"]),
            line["alias"] or "visitor",
            line["message"],
        )
        for line in logs["transcripts"]
    ]


def test_transcripts_leave_out_system_lines_and_keep_each_agents_alias(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(email="v@example.com"), "hello")
    world.accept(case, "sam@example.com")
    world.agent_message(case, "sam@example.com", "hi")
    world.visitor_message(case, "thanks")
    world.transfer(case, agent_id="michael@example.com")
    world.agent_message(case, "michael@example.com", "Michael here")
    world.close(case, "visitor")
    root = parse(integration_xml(world, case))
    assert [(i, a, m) for i, _, a, m in transcripts(root)] == [
        ("", "visitor", "hello"),
        ("sam@example.com", "Sam", "hi"),
        ("", "visitor", "thanks"),
        ("michael@example.com", "Michael", "Michael here"),
    ]


def test_a_chat_still_open_counts_its_wait_and_duration_up_to_now(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    world.scheduler.advance(7.4)
    root = parse(integration_xml(world, case))
    assert (value(root, "chat_waittime"), value(root, "chat_duration")) == ("7", "7")
    later = world.clock.now_ms() + 30_000
    root = parse(integration_xml(world, case, now_ms=later))
    logs = case_json(world, world.orgs[ORG_ID], case, now_ms=later)
    assert (value(root, "chat_waittime"), value(root, "chat_duration")) == ("37", "37")
    assert (logs["chat_waittime"], logs["chat_duration"]) == (37, 37)


def test_an_offline_message(world: World) -> None:
    visitor = Visitor(email="jim@example.com", user_agent=CHROME_ON_WINDOWS_7, locale="fr_CA")
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, visitor, "Please call me back", offline=True)
    world.scheduler.advance(90)
    root = parse(integration_xml(world, case))
    assert [child.tag for child in root] == [
        "id", "url", "requested_by", "description", "created_at", "browser", "os", "source_id", "languages",
        "transcripts",
    ]  # fmt: skip
    assert value(root, "source_id") == "1"
    assert value(root, "created_at") == "2026-11-23T09:30:00.000Z"
    assert [(value(x, "name"), value(x, "code")) for x in root.findall("languages/language")] == [
        ("French (Canadian)", "fr_CA")
    ]
    assert transcripts(root) == [("", "Mon Nov 23 09:30:00 UTC 2026", "visitor", "Please call me back")]
    assert root.find("chat_waittime") is None  # an offline message has no wait nor duration, as in JSON


def test_a_bare_offline_message_leaves_out_every_element_without_data(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(latitude=1.0), "", offline=True)
    root = parse(integration_xml(world, case))
    assert [child.tag for child in root] == ["id", "url", "created_at", "source_id"]


def test_a_proactive_chat_is_source_3(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hi", proactive=True)
    root = parse(integration_xml(world, case))
    assert value(root, "source_id") == str(case_json(world, world.orgs[ORG_ID], case)["source_id"]) == "3"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (None, []),
        ("", []),
        ("en", [("English", "en")]),
        ("de-DE", [("German", "de-DE")]),
        ("en,en-US;q=0.8,pt;q=0.6", [("English", "en"), ("English", "en-US"), ("Portuguese", "pt")]),
        ("zh_TW, zh-CN", [("Chinese (Traditional)", "zh_TW"), ("Chinese (Simplified)", "zh-CN")]),
        ("he,iw,rw", [("Hebrew", "he"), ("Hebrew", "iw"), (None, "rw")]),
        ("en-US,EN-us,*;q=0.1", [("English", "en-US")]),
        ("x-klingon, <b>, 12, ]]>", [(None, "x-klingon")]),
    ],
)
def test_languages_come_from_the_locale(locale: str | None, expected: list[tuple[str | None, str]]) -> None:
    assert languages(locale) == expected


def test_a_language_without_a_name_has_only_its_code(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(locale="tlh"), "hi")
    root = parse(integration_xml(world, case))
    assert [[c.tag for c in lang] for lang in root.findall("languages/language")] == [["code"]]


@pytest.mark.parametrize(
    ("ms", "expected"),
    [
        (0, "Thu Jan 01 00:00:00 UTC 1970"),
        (1287366507999, "Mon Oct 18 01:48:27 UTC 2010"),
        (1412367271268, "Fri Oct 03 20:14:31 UTC 2014"),
        (1795424399000, "Mon Nov 23 08:59:59 UTC 2026"),
        (4102444800000, "Fri Jan 01 00:00:00 UTC 2100"),
    ],
)
def test_transcript_dates_are_javas_date_to_string_in_utc(ms: int, expected: str) -> None:
    assert transcript_date(ms) == expected


@pytest.mark.parametrize(
    ("ms", "expected"),
    [
        (1287366498623, "2010-10-18T01:48:18.623Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (999, "1970-01-01T00:00:00.999Z"),
    ],
)
def test_created_at_is_iso_with_milliseconds(ms: int, expected: str) -> None:
    assert created_at(ms) == expected


def test_latitude_without_longitude_is_left_out(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(latitude=52.520008), "hi")
    root = parse(integration_xml(world, case))
    assert root.find("latitude") is None
    assert root.find("longitude") is None


# -- any text ------------------------------------------------------------------------------------------------


def carried(value: str) -> str:
    """What XML 1.0 can carry of a string: each other character becomes U+FFFD."""
    return "".join(
        c
        if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
        else "\ufffd"
        for c in value
    )


NASTY = [
    "]]>",
    "]]]]>>",
    "a]]>b]]>c",
    "]",
    "]]",
    "]\r]>",
    "<![CDATA[x]]>",
    "</description><evil/>",
    "&amp; &#0; &lt; & < > \" '",
    "\r",
    "\r\n",
    "line1\rline2\nline3\r\n",
    "\x00\x01\x08\x0b\x0c\x0e\x1f",
    "\t",
    "\ud800",
    "\udfff\ud83d",
    "\ud83d\ude00",  # a surrogate pair as two code points: two lone surrogates to Python
    "\ufffe\uffff",
    "\ufffd",
    "😀🇩🇪\U0010ffff",
    "\x7f\x85\x9f\u2028\u2029\ufdd0",
    "<?xml version='1.0'?>",
    "<!-- -->",
    "<!DOCTYPE x [<!ENTITY e 'x'>]>&e;",
]


@pytest.mark.parametrize("nasty", NASTY)
def test_any_string_survives_in_text_and_in_cdata(world: World, nasty: str) -> None:
    assert "\r" not in text(nasty) + cdata(nasty)  # carried as &#13;, which parsers do not normalize
    visitor = Visitor(
        email=nasty, city=nasty, page_url=nasty, referrer_url=nasty, javascript_variables=[(nasty, nasty)]
    )
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, visitor, nasty)
    world.accept(case, "sam@example.com")
    world.agent_message(case, "sam@example.com", nasty)
    world.label(case, nasty, nasty)
    root = parse(integration_xml(world, case))
    for path in ("requested_by", "description", "city", "page_url", "referrer_url"):
        assert value(root, path) == carried(nasty), path
    assert [m for *_, m in transcripts(root)] == [carried(nasty)] * 2
    assert pairs(root, "labels") == pairs(root, "javascript_variables") == [(carried(nasty), carried(nasty))]


_DOCUMENT = default_document()
_SPECIALS = st.sampled_from(
    ["]]>", "<![CDATA[", "]]", "]", ">", "<", "&", "\r", "\r\n", "\x00", "\ud800", "\udc00", "😀", "\ufffe"]
)
_ANY = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=())), st.text(), _SPECIALS), max_size=6
).map("".join)
_SOME = _ANY.filter(bool)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    email=_ANY,
    description=_ANY,
    city=_ANY,
    messages=st.lists(st.tuples(st.booleans(), _SOME), max_size=4),
    labels=st.lists(st.tuples(_SOME, _ANY), max_size=3),
    variables=st.lists(st.tuples(_ANY, _ANY), max_size=2),
    locale=_ANY,
)
def test_arbitrary_text_always_gives_a_document_that_parses_and_carries_it(
    email: str,
    description: str,
    city: str,
    messages: list[tuple[bool, str]],
    labels: list[tuple[str, str]],
    variables: list[tuple[str, str]],
    locale: str,
) -> None:
    world = World(copy.deepcopy(_DOCUMENT), ManualClock(MONDAY_MORNING_BERLIN), seed=7)
    visitor = Visitor(email=email, city=city, locale=locale, javascript_variables=variables)
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, visitor, description)
    world.accept(case, "sam@example.com")
    for from_agent, message in messages:
        if from_agent:
            world.agent_message(case, "sam@example.com", message)
        else:
            world.visitor_message(case, message)
    for name, label in labels:
        world.label(case, name, label)
    world.close(case, "agent")

    root = parse(integration_xml(world, case))
    assert value(root, "requested_by") == (carried(email) if email else None)
    assert value(root, "description") == (carried(description) if description else None)
    assert value(root, "city") == (carried(city) if city else None)
    expected = ([description] if description else []) + [m for _, m in messages]
    assert [m for *_, m in transcripts(root)] == [carried(m) for m in expected]
    assert pairs(root, "labels") == [(carried(n), carried(v)) for n, v in case.labels or []]
    assert pairs(root, "javascript_variables") == [(carried(n), carried(v)) for n, v in variables]
    assert [value(lang, "code") for lang in root.findall("languages/language")] == [
        c for _, c in languages(locale)
    ]
