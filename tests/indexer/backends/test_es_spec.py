"""Every request body the Elasticsearch backend sends, checked against Elasticsearch's own specification.

No cluster runs here; the golden files pin our bytes, and this checks that those bytes are a
request Elasticsearch defines: the schemas of elastic/elasticsearch-specification for both majors
(es_spec.py: where the slice comes from and the corrections, each shown here failing without it
and passing with it). The bodies come from the code paths the backend runs (es_bodies, the bulk
helper's own expand_action), property-based over query texts and filter combinations.
What the specification cannot tell is listed in the README's Elasticsearch section.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from elasticsearch.helpers import expand_action
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.backends.doc_fields import INT_FACETS
from indexer.backends.es_bodies import (
    MATCH_ALL,
    alias_swap_actions,
    build_search_body,
    create_index_body,
    delete_action,
    index_action,
    index_settings,
    to_es_document,
)
from indexer.query import FACETS, SORTS, SearchQuery
from tests.indexer.backends.es_spec import CORRECTIONS, MAJORS, Spec, load_slice, spec, spec_dir
from tests.indexer.backends.goldens import GOLDEN
from tests.indexer.backends.sample_articles import sample_articles

# The slice is committed (tests/fixtures/es-spec): a missing one is an error, never a skip.
assert spec_dir() is not None, (
    "no Elasticsearch specification slice in tests/fixtures/es-spec: run "
    "`python scripts/refresh_es_spec.py <clone of elastic/elasticsearch-specification>`"
)

both_majors = pytest.mark.parametrize("major", MAJORS)


def assert_valid(major: int, request: str, body) -> None:
    errors = spec(major).errors(request, body)
    assert not errors, f"ES {major} ({spec(major).source['commit'][:12]}) refuses {request}:\n" + "\n".join(errors[:8])


# --- where the specification comes from -------------------------------------------------------------
@both_majors
def test_slice_names_its_commit_and_licence(major):
    source = load_slice(major)["source"]
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and source["branch"].startswith(f"{major}.")
    assert source["license"] == "Apache-2.0"
    assert "Apache License" in (spec_dir() / "LICENSE").read_text()
    recorded = json.loads((spec_dir() / "SOURCE.json").read_text())[f"es{major}"]
    assert recorded["commit"] == source["commit"]


# --- bodies from the real code paths ----------------------------------------------------------------
@both_majors
def test_index_creation_with_settings_analysis_mappings_and_alias(major):
    assert_valid(major, "indices.create", create_index_body("cds-articles"))
    assert_valid(major, "indices.create", index_settings())  # upgrade: the alias comes by swap


@both_majors
@pytest.mark.parametrize("previous", [[], ["cds-articles-v1"], ["cds-articles-v1", "cds-old"]])
def test_alias_swap_of_an_upgrade(major, previous):
    assert_valid(
        major, "indices.update_aliases", {"actions": alias_swap_actions("cds-articles", previous, "cds-articles-v2")}
    )


@both_majors
def test_bulk_lines_as_the_client_helper_expands_them(major):
    """streaming_bulk turns each action into an action line and a source line with the client's
    own expand_action: validated are exactly those lines."""
    for article in sample_articles():
        action, source = expand_action(index_action("cds-articles-v2", article))
        assert_valid(major, "bulk.action", action)
        assert source == to_es_document(article)
    action, source = expand_action(delete_action("cds-articles", "abc"))
    assert source is None
    assert_valid(major, "bulk.action", action)


@both_majors
def test_clear_count_and_upgrade_copy_queries(major):
    assert_valid(major, "delete_by_query", {"query": MATCH_ALL})
    assert_valid(major, "count", {"query": MATCH_ALL})
    # helpers.scan sends this as the body of its first search (with ?scroll=), then scroll bodies
    assert_valid(major, "search", {"query": MATCH_ALL, "_source": ["article"], "size": 500, "sort": "_doc"})
    assert_valid(
        major,
        "scroll",
        {"scroll": "5m", "scroll_id": "DXF1ZXJ5QW5kRmV0Y2gBAAAAAAAAAD4WYm9laVYtZndUQlNsdDcwakFMNjU1QQ=="},
    )


@both_majors
@pytest.mark.parametrize("path", sorted(GOLDEN.glob("search_*.json")), ids=lambda p: p.stem)
def test_golden_search_bodies(major, path):
    assert_valid(major, "search", json.loads(path.read_text(encoding="utf-8")))


@both_majors
def test_golden_index_settings(major):
    assert_valid(major, "indices.create", json.loads((GOLDEN / "index_settings.json").read_text(encoding="utf-8")))


WORDS = [
    "Thanh Hóa",
    "thanh hoa",
    "Thanh Hoá",
    "VNPT",
    "Viettel",
    "MobiFone",
    "FPT",
    "chuyển đổi số",
    "chuyen doi so",
    "CĐS",
    "ĐBSCL",
    "ai",
    "kỹ năng",
    "Tập đoàn Viettel",
    "Viettel Post",
    "Hà Giang",
    "Đắk Lắk",
    "dak lak",
    "IOC",
    "tuyển dụng",
    "kinh tế, số",
    "Quảng Nam",
    "quang nam",
    "2024",
    "Hòa Bình",
    "hoa binh",
    "Tuyên Quang",
    "chữ ký số",
    "Bưu chính",
    "title:*",
    "x",
    "đ",
]
GLUE = [" ", " ", " ", " OR ", " | ", " -", ' "', '" ', "(", ")", ' -"', ", ", "–", "-"]
texts = st.one_of(
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=12).map("".join),
    st.text(alphabet=st.sampled_from(list('aăâđeêioôơuưy hóàảãạ"()|-–,.:*ABCĐ0123')), max_size=40),
)
FACET_VALUES = {
    "province": ["Thanh Hóa", "Hà Giang", "Thanh Hoá"],
    "province_current": ["Tuyên Quang", "Thái Nguyên"],
    "partner": ["VNPT", "Viettel", "FPT"],
    "year": ["2023", "2024", "2025"],
    "kind": ["agreement", "report", "news"],
    "source": ["thanhhoa.gov.vn", "baotintuc.vn"],
}


def facet_values(facet: str) -> list[str]:
    """Values to filter by; a facet added since has years if it is numeric, else a word."""
    return FACET_VALUES.get(facet) or (["2023", "2024"] if facet in INT_FACETS else ["khác"])


filters = st.dictionaries(st.sampled_from(FACETS), st.just(None), max_size=len(FACETS)).flatmap(
    lambda chosen: st.fixed_dictionaries(
        {f: st.lists(st.sampled_from(facet_values(f)), min_size=1, max_size=3) for f in chosen}
    )
)
days = st.one_of(
    st.none(),
    st.dates(
        min_value=__import__("datetime").date(2015, 1, 1), max_value=__import__("datetime").date(2027, 12, 31)
    ).map(str),
)


@st.composite
def queries(draw) -> SearchQuery:
    d1, d2 = draw(days), draw(days)
    if d1 and d2 and d1 > d2:
        d1, d2 = d2, d1
    return SearchQuery(
        text=draw(texts),
        filters=draw(filters),
        date_from=d1,
        date_to=d2,
        sort=draw(st.sampled_from(SORTS)),
        page=draw(st.integers(1, 5)),
        per_page=draw(st.sampled_from([10, 20, 50, 100])),
        include_duplicates=draw(st.booleans()),
        include_off_topic=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_every_search_the_query_builder_makes_is_valid_in_both_majors(query):
    body = build_search_body(query)
    for major in MAJORS:
        assert_valid(major, "search", body)


# --- deliberately broken bodies: each must be refused ------------------------------------------
def _search(**over):
    body = build_search_body(SearchQuery(text='VNPT OR Viettel -"Hà Giang"', filters={"year": ["2024"]}))
    body.update(over)
    return body


def _agg(agg):
    body = _search()
    body["aggs"]["kind"]["aggs"]["values"] = agg
    return body


def _settings(path, value):
    body = create_index_body("cds-articles")
    node = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return body


BROKEN = {
    "unknown query key": ("search", _search(query={"match_phrasee": {"title": "vnpt"}})),
    "unknown query key deep in a bool": (
        "search",
        _search(
            query={
                "bool": {
                    "must": [{"bool": {"should": [{"match_phrase": {"title": "x"}}, {"phrase_match": {"title": "y"}}]}}]
                }
            }
        ),
    ),
    "misspelt match_phrase option": ("search", _search(query={"match_phrase": {"title": {"query": "x", "slopp": 2}}})),
    "unknown bool clause": ("search", _search(query={"bool": {"musts": [MATCH_ALL]}})),
    "two queries in one container": ("search", _search(query={"term": {"caps": "tp"}, "match_all": {}})),
    "constant_score without filter": ("search", _search(query={"constant_score": {"boost": 2.0}})),
    "term long form misspelt": ("search", _search(query={"term": {"caps": {"valeu": "tp"}}})),
    "terms given a string": ("search", _search(post_filter={"terms": {"partner": "VNPT"}})),
    "range with an unknown key": ("search", _search(query={"range": {"published": {"gte": 1, "formatt": "x"}}})),
    "minimum_should_match as a list": (
        "search",
        _search(query={"bool": {"should": [MATCH_ALL], "minimum_should_match": [1]}}),
    ),
    "bad aggregation option": ("search", _agg({"terms": {"field": "kind", "sise": 100}})),
    "unknown aggregation type": ("search", _agg({"termz": {"field": "kind"}})),
    "aggregation with two types": ("search", _agg({"terms": {"field": "kind"}, "filter": MATCH_ALL})),
    "aggregation with no type": ("search", _agg({"aggs": {"v": {"terms": {"field": "kind"}}}})),
    "sort order misspelt": ("search", _search(sort=[{"published": {"order": "down"}}])),
    "sort option misspelt": ("search", _search(sort=[{"published": {"order": "desc", "missng": "_last"}}])),
    "unknown top-level key": ("search", _search(post_filters={"bool": {}})),
    "track_total_hits as a word": ("search", _search(track_total_hits="yes")),
    "_source as a number": ("search", _search(_source=5)),
    "from as a word": ("search", _search(**{"from": "ten"})),
    "mapping option misspelt": (
        "indices.create",
        _settings(["mappings", "properties", "caps"], {"type": "keyword", "analyzr": "x"}),
    ),
    "mapping type unknown": ("indices.create", _settings(["mappings", "properties", "caps"], {"type": "keywrd"})),
    "dynamic neither bool nor mode": ("indices.create", _settings(["mappings", "dynamic"], "sometimes")),
    "tokenizer option misspelt": (
        "indices.create",
        _settings(["settings", "analysis", "tokenizer", "cds_syllables"], {"type": "pattern", "patern": "x"}),
    ),
    "asciifolding option misspelt": (
        "indices.create",
        _settings(["settings", "analysis", "filter", "cds_fold"], {"type": "asciifolding", "preserve_originals": True}),
    ),
    "token filter type unknown": (
        "indices.create",
        _settings(["settings", "analysis", "filter", "cds_long"], {"type": "lenght", "max": 40}),
    ),
    "char filter option misspelt": (
        "indices.create",
        _settings(
            ["settings", "analysis", "char_filter", "cds_punct_gap"],
            {"type": "pattern_replace", "pattern": "x", "replace": " "},
        ),
    ),
    "alias action unknown": ("indices.update_aliases", {"actions": [{"swap": {"index": "a", "alias": "b"}}]}),
    "alias option misspelt": (
        "indices.update_aliases",
        {"actions": [{"add": {"index": "a", "alias": "b", "is_write_indx": True}}]},
    ),
    "bulk operation unknown": ("bulk.action", {"upsert": {"_index": "a", "_id": "1"}}),
    "bulk metadata misspelt": ("bulk.action", {"index": {"_idx": "a", "_id": "1"}}),
}


# What a major's specification cannot tell (and stays unproven without a cluster of that major).
BLIND = {
    ("term long form misspelt", 8): "8.x types FieldValue as any value (UserDefinedValue), so "
    "{'valeu': 'tp'} reads as a term short form"
}


@both_majors
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_body_is_refused(major, name):
    request, body = BROKEN[name]
    if (name, major) in BLIND:  # pinned, so a refreshed specification that can tell shows up here
        assert not spec(major).errors(request, body), BLIND[name, major]
        return
    assert spec(major).errors(request, body), f"{name}: accepted by the specification of ES {major}"


@both_majors
def test_as_published_the_specification_refuses_our_valid_bodies(major):
    """Too strict: the short forms, the overlapping unions, dynamic: false."""
    raw = Spec(major, ())
    assert not raw.is_valid("search", json.loads((GOLDEN / "search_words.json").read_text(encoding="utf-8")))
    assert not raw.is_valid("indices.create", create_index_body("cds-articles"))


@both_majors
def test_without_closing_and_aliases_most_broken_bodies_pass(major):
    """Too loose: with only the too-strict flaws fixed, every object is open and aggs unchecked."""
    loose = Spec(major, ("shortcuts", "any_of", "generics", "boolean_enums"))
    caught = sorted(n for n, (req, body) in BROKEN.items() if loose.errors(req, body))
    assert len(caught) < len(BROKEN) // 2, caught
    assert "unknown query key" not in caught and "bad aggregation option" not in caught


# --- each correction, both ways -----------------------------------------------------------------------
def without(fix: str) -> Spec:
    return Spec(9, tuple(c for c in CORRECTIONS if c != fix))


def test_close_objects_refuses_unknown_keys_and_keeps_behaviours():
    unknown = {"query": {"match_phrase": {"title": {"query": "x", "slopp": 2}}}}
    assert without("close").is_valid("search", unknown)
    assert not spec(9).is_valid("search", unknown)
    # the AdditionalProperty behaviour: {"<field>": FieldSort} still passes, a misspelt option does not
    assert spec(9).is_valid("search", {"sort": [{"published": {"order": "desc", "missing": "_last"}}, "_score"]})
    assert not spec(9).is_valid("search", {"sort": [{"published": {"order": "desc", "missng": "_last"}}]})
    # containers: aggs beside one aggregation is fine (published, maxProperties 1 counts aggs too),
    # two aggregations are not
    sub = {"aggs": {"a": {"filter": MATCH_ALL, "aggs": {"v": {"terms": {"field": "kind"}}}}}}
    assert spec(9).is_valid("search", sub) and not without("close").is_valid("search", sub)
    assert not spec(9).is_valid("search", {"aggs": {"a": {"filter": MATCH_ALL, "terms": {"field": "kind"}}}})


def test_aliases_restore_aggs():
    body = {"aggs": {"kind": {"terms": {"field": "kind", "size": 100}}}}
    assert spec(9).is_valid("search", body)
    assert not without("aliases").is_valid("search", body)  # closed, "aggs" is unknown
    bad = {"aggs": {"kind": {"terms": {"field": "kind", "sise": 100}}}}
    assert Spec(9, ()).is_valid("search", bad)  # as published: the tree goes unchecked
    assert not spec(9).is_valid("search", bad)


def test_shortcuts_restore_the_short_forms():
    for body in (
        {"query": {"term": {"caps": "tp"}}},
        {"_source": ["article"]},
        {"query": {"match_phrase": {"title": "thanh hóa"}}},
        {"sort": [{"published": "desc"}]},
    ):
        assert spec(9).is_valid("search", body), body
        assert not without("shortcuts").is_valid("search", body), body
    assert not spec(9).is_valid("search", {"query": {"term": {"caps": ["tp"]}}})


def test_one_of_read_as_any_of():
    overlapping = {"query": {"range": {"published": {"gte": "2024-01-01"}}}}  # untyped, date and term forms
    assert spec(9).is_valid("search", overlapping)
    assert not without("any_of").is_valid("search", overlapping)
    assert not spec(9).is_valid("search", {"query": {"range": {"published": {"gte": "2024-01-01", "lte_": 1}}}})


def test_generic_base_takes_any_value_for_its_parameter():
    epoch = {"query": {"range": {"published": {"format": "epoch_second", "gte": 1672506000}}}}
    assert spec(9).is_valid("search", epoch)
    assert not without("generics").is_valid("search", epoch)


def test_boolean_enums_take_booleans():
    body = create_index_body("cds-articles")
    assert body["mappings"]["dynamic"] is False
    assert spec(9).is_valid("indices.create", body)
    assert not without("boolean_enums").is_valid("indices.create", body)
    assert not spec(9).is_valid("indices.create", _settings(["mappings", "dynamic"], "sometimes"))


def test_an_unknown_correction_is_refused():
    with pytest.raises(ValueError):
        Spec(9, ("close", "closing"))


# --- analysis: what the index settings name exists in each major -------------------------------
PLUGIN_TYPES = re.compile(r"^(icu_|kuromoji|nori|smartcn|phonetic|stempel|polish|ukrainian|cjk_bigram$)")
KINDS = {"char_filter": "CharFilterDefinition", "tokenizer": "TokenizerDefinition", "filter": "TokenFilterDefinition"}


def analysis_types(major: int, kind: str) -> dict[str, str]:
    """type name -> schema name, from the specification's discriminator of that kind."""
    return load_slice(major)["schemas"][f"_types.analysis.{KINDS[kind]}"]["discriminator"]["mapping"]


@both_majors
def test_analysis_components_exist_in_the_major_with_the_options_used(major):
    analysis = index_settings()["settings"]["analysis"]
    for kind in KINDS:
        known = analysis_types(major, kind)
        for name, definition in analysis.get(kind, {}).items():
            assert definition["type"] in known, f"{kind} {name}: type {definition['type']} not in ES {major}"
            assert not PLUGIN_TYPES.match(definition["type"]), f"{name} needs a plugin"
            # the options used are the schema's properties (close makes any other one an error)
            schema = load_slice(major)["schemas"][known[definition["type"]].rsplit("/", 1)[-1]]
            props = {p for part in [schema, *schema.get("allOf", [])] for p in part.get("properties", {})}
            assert set(definition) <= props | {"type", "version"}, (name, set(definition) - props)
    # every name an analyzer uses is defined above, or is a built-in of that type in this major
    for name, analyzer in analysis["analyzer"].items():
        assert analyzer["type"] == "custom"
        uses = [("tokenizer", analyzer["tokenizer"])]
        uses += [("char_filter", c) for c in analyzer.get("char_filter", [])]
        uses += [("filter", f) for f in analyzer.get("filter", [])]
        for kind, used in uses:
            assert used in analysis.get(kind, {}) or used in analysis_types(major, kind), (name, kind, used)
    props = index_settings()["mappings"]["properties"]
    for field, mapping in props.items():
        for sub in [mapping, *mapping.get("fields", {}).values()]:
            for key in ("analyzer", "search_analyzer"):
                if key in sub:
                    assert sub[key] in analysis["analyzer"], (field, sub[key])


def test_documents_hold_only_mapped_fields_of_the_mapped_types():
    """dynamic: false drops unmapped fields silently, so a field missing from the mapping would be
    stored but never searched: every field a document carries is mapped, with a value of its type."""
    props = index_settings()["mappings"]["properties"]
    checks = {
        "keyword": lambda v: isinstance(v, str),
        "text": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "date": lambda v: isinstance(v, int),
        "object": lambda v: isinstance(v, dict),
    }
    for article in sample_articles():
        doc = to_es_document(article)
        for field, value in doc.items():
            assert field in props, field
            for v in value if isinstance(value, list) else [value]:
                assert checks[props[field]["type"]](v), (article.id, field, v)


def test_corrections_do_not_touch_the_loaded_slice():
    before = copy.deepcopy(load_slice(9)["schemas"]["_types.aggregations.AggregationContainer"])
    Spec(9).defs()
    assert load_slice(9)["schemas"]["_types.aggregations.AggregationContainer"] == before


# --- the specification's own examples: the corrections must not refuse what Elastic documents -----
# Examples the specification itself gets wrong (its schema and its example disagree):
SPEC_SELF_CONTRADICTIONS = (
    "/slice/id: 0 is not of type",
    "/source/slice/id: 0 is not of type",
    "/update: Unevaluated properties are not allowed ('_source'",
    "/source/query/function_score:",
)


def spec_examples(major: int):
    for request, examples in load_slice(major)["examples"].items():
        for body in examples:
            if request != "bulk":
                yield request, body
                continue
            for line in body:  # action lines of the ndjson body (one key naming the operation)
                if (
                    isinstance(line, dict)
                    and len(line) == 1
                    and next(iter(line)) in ("index", "create", "delete", "update")
                ):
                    yield "bulk.action", line


@both_majors
def test_the_corrected_specification_accepts_its_own_examples(major):
    examples = list(spec_examples(major))
    refused = [(req, err) for req, body in examples for err in spec(major).errors(req, body)[:1]]
    unexplained = [r for r in refused if not r[1].startswith(SPEC_SELF_CONTRADICTIONS)]
    assert len(examples) >= 40 and not unexplained, unexplained
    assert len(refused) <= 5


def _shapes(node, path="") -> set[str]:
    """Every query/aggregation key of a body, with its parent (bool.must_not, constant_score...)."""
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            out.add(f"{path.rsplit('.', 1)[-1]}.{k}" if path else k)
            out |= _shapes(v, f"{path}.{k}")
    elif isinstance(node, list):
        for v in node:
            out |= _shapes(v, path)
    return out


def test_the_drawn_queries_reach_every_shape_the_builder_makes():
    """The property test is only as good as its texts: these, drawn from the same words and glue,
    make every clause the builder has (so a new shape with no example here fails this test)."""
    texts = [
        "HN",
        "ai",
        "VNPT OR Viettel",
        '"kinh tế, số" -MobiFone',
        "Hòa Bình",
        "hoa binh",
        "Thanh Hoa VNPT",
        "-Viettel",
        "(VNPT | Viettel) chuyen doi so",
        "dak lak",
        "Tập đoàn Viettel",
        "kỹ năng",
        "",
    ]
    seen: set[str] = set()
    for i, text in enumerate(texts):
        q = SearchQuery(
            text=text,
            filters={"year": ["2024"], "partner": ["VNPT"]} if i % 2 else {},
            date_from="2024-01-01" if i % 3 == 0 else None,
            date_to="2024-12-31" if i % 4 == 0 else None,
            sort=SORTS[i % len(SORTS)],
        )
        body = build_search_body(q)
        for major in MAJORS:
            assert_valid(major, "search", body)
        seen |= _shapes(body)
    wanted = {
        "should.match_phrase",
        "must_not.bool",
        "should.constant_score",
        "should.term",
        "bool.minimum_should_match",
        "bool.filter",
        "filter.term",
        "filter.terms",
        "filter.range",
        "must.match_all",
        "post_filter",
        "aggs",
        "values.terms",
        "sort",
        "_source",
        "track_total_hits",
    }
    assert wanted <= seen, wanted - seen
