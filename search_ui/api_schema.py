"""The API's OpenAPI 3.1 document, generated from the code (pydantic models + declared endpoints).

Response bodies are pydantic models; the article model is derived field by field from the
``indexer.article.Article`` dataclass, so a field added there appears in the document without
anyone editing JSON. Query parameters come from ``search_ui.params.KNOWN`` and the facet list of
``indexer.query.FACETS``; a test fails when a parameter or an ``/api/v1`` route is undocumented
(Datasette's "every setting has its help" habit). pydantic's JSON Schema is draft 2020-12, which
is what OpenAPI 3.1 uses, so the models' schemas go into ``components`` unchanged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from indexer.article import Article
from indexer.query import FACETS, MAX_FILTER_VALUES, MAX_PER_PAGE, MAX_RESULT_WINDOW, SORTS, YEAR_FACETS
from search_ui.presenters import FACET_DESCRIPTIONS

API_VERSION = "1.0.0"
PREFIX = "/api/v1"


def _article_model() -> type[BaseModel]:
    """Every Article field with its type, default and description (``metadata["doc"]``), plus
    ``id`` and ``years``."""
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(Article):
        default = f.default if f.default is not dataclasses.MISSING else ...
        if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            default = Field(default_factory=f.default_factory)  # type: ignore[arg-type]
        elif f.metadata.get("doc"):
            default = Field(default, description=f.metadata["doc"])
        fields[f.name] = (f.type, default)
    fields["id"] = (str, Field(description="Mã bài viết (dùng cho /api/v1/articles/{id})"))
    fields["years"] = (list[int], Field(description=FACET_DESCRIPTIONS["year"]))
    return create_model("Article", __config__=ConfigDict(extra="forbid"), **fields)


ArticleModel = _article_model()


class Hit(ArticleModel):  # type: ignore[misc,valid-type]
    """A search result: the article without ``body``, with its score and highlighted text."""

    model_config = ConfigDict(extra="forbid")
    body: str | None = Field(None, description="không có trong kết quả tìm kiếm; xem /articles/{id}")
    score: float
    snippet: str = Field(description="HTML: từ khớp nằm trong <b>, phần còn lại đã escape")
    title_html: str


class FacetValue(BaseModel):
    value: str = Field(description="giá trị dùng để lọc (?facet=value)")
    count: int
    label: str = Field(description="cách hiển thị cho người đọc")


class Detected(BaseModel):
    facet: str
    value: str
    text: str = Field(description="the words of the query that named it")


class ValueWarning(BaseModel):
    parameter: str
    value: str = Field(description="the value as sent")
    message: str
    closest: list[str] = Field(description="the nearest valid values, best first")


class Links(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    self_: str = Field(alias="self")
    next: str | None
    prev: str | None


class QueryEcho(BaseModel):
    q: str
    filters: dict[str, list[str]] = Field(description="the facet filters after matching (canonical values)")
    from_: str | None = Field(alias="from")
    to: str | None
    sort: str
    effective_sort: str = Field(description="the order actually used: newest when sort=relevance has no q")
    duplicates: bool
    off_topic: bool


class SearchResponse(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int
    took_ms: float
    query: QueryEcho
    hits: list[Hit]  # type: ignore[valid-type]
    facets: dict[str, list[FacetValue]]
    facet_descriptions: dict[str, str]
    detected: list[Detected]
    did_you_mean: str | None
    warnings: list[ValueWarning] = Field(description="facet values that matched nothing, with the closest valid ones")
    links: Links


class FacetsResponse(BaseModel):
    facets: dict[str, list[FacetValue]] = Field(
        description="every valid value per facet, with its article count (values known to the "
        "product but absent from the index have count 0)"
    )
    facet_descriptions: dict[str, str]
    matching: str


class AgreementReport(BaseModel):
    id: str
    title: str
    url: str
    source: str
    source_title: str
    published: str | None
    is_canonical: bool


class AgreementRecord(BaseModel):
    id: str
    province: str = Field(description="tỉnh như bài viết ghi (tên trước 7/2025)")
    province_current: str = Field(description="tỉnh hiện nay (sau sáp nhập 7/2025)")
    partners: list[str]
    period: list[int] | None = Field(description="[năm đầu, năm cuối] hoặc null nếu bài không nêu")
    signed: str | None = Field(description="YYYY-MM-DD: ngày đăng của bài đưa tin sớm nhất")
    status: str = Field(description="active | expired (hết hạn, không ký lại) | renewed (đã ký lại) | unknown")
    expired: bool
    areas: str = Field(description="nội dung thỏa thuận: một hai câu từ bài")
    articles: list[AgreementReport]


class AgreementsResponse(BaseModel):
    total: int
    of: int = Field(description="số thỏa thuận khi không lọc")
    filters: dict[str, list[str]]
    sort: str
    warnings: list[ValueWarning]
    agreements: list[AgreementRecord]


class ErrorResponse(BaseModel):
    error: str
    status: int


class IndexResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    version: str
    endpoints: dict[str, str]
    parameters: list[str]
    max_per_page: int
    openapi: str
    docs: str


# -- parameters -------------------------------------------------------------------------------
FACET_PARAM_HELP = (
    "Repeat to OR values. Matched without case or diacritics (partner=vnpt, "
    "province=thanh hoa); an unknown value is answered with a `warnings` entry."
)


EMPTY = {"type": "string", "maxLength": 0}  # an empty value means "not given" (HTML forms send them)


def _param(name: str, schema: dict, description: str, *, array: bool = False) -> dict:
    if array:
        schema = {"type": "array", "items": {"anyOf": [schema, EMPTY]}}
    elif name != "q":
        schema = {"anyOf": [schema, EMPTY]}
    out = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if array:
        out.update(style="form", explode=True)
    return out


def search_parameters() -> list[dict]:
    # Years MIN_YEAR..MAX_YEAR (1900–2100), as indexer.query checks.
    date = {
        "type": "string",
        "format": "date",
        "pattern": r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    }
    params = [
        _param(
            "q",
            {"type": "string"},
            "Words to search (see query_syntax in /api/v1/); empty lists everything; "
            "text past 2000 characters is ignored.",
        )
    ]
    for facet in FACETS:
        schema = {"type": "string", "pattern": "^[0-9]{4}$"} if facet in YEAR_FACETS else {"type": "string"}
        param = _param(facet, schema, f"{FACET_DESCRIPTIONS[facet]} {FACET_PARAM_HELP}", array=True)
        param["schema"]["maxItems"] = MAX_FILTER_VALUES
        params.append(param)
    params += [
        _param("from", date, "Published on or after this day (YYYY-MM-DD, Vietnam time)."),
        _param("to", date, "Published on or before this day (YYYY-MM-DD); not before `from` (else 400)."),
        _param(
            "sort",
            {"type": "string", "enum": list(SORTS), "default": "relevance"},
            "relevance (newest when there is no q), newest or oldest.",
        ),
        _param(
            "page",
            {"type": "integer", "minimum": 1, "default": 1},
            f"Page number (1-based); page × per_page may not pass {MAX_RESULT_WINDOW} (else 400).",
        ),
        _param(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
            f"Results per page, 1–{MAX_PER_PAGE}; outside that range is a 400 naming the limit.",
        ),
        _param(
            "duplicates",
            {"type": "string", "enum": ["0", "1", "true", "false"]},
            "1: include syndicated copies (default: one canonical copy per story).",
        ),
        _param(
            "off_topic",
            {"type": "string", "enum": ["0", "1", "true", "false"]},
            "1: include articles judged off the digital-transformation topic.",
        ),
    ]
    return params


def agreement_parameters() -> list[dict]:
    from search_ui.agreement_records import SORTS as AGREEMENT_SORTS
    from search_ui.agreement_records import STATUSES

    text = {"type": "string"}
    year = {"type": "string", "pattern": "^[0-9]{4}$"}
    loose = " Matched without case or diacritics; an unknown value is answered with a `warnings` entry."
    params = [
        _param("province", text, "Province as the articles wrote it (legacy name)." + loose, array=True),
        _param("province_current", text, "Province after the July 2025 merger." + loose, array=True),
        _param("partner", text, "Partner company." + loose, array=True),
        _param("year", year, "A year the agreement's period covers.", array=True),
        _param("signed", year, "Year of signing.", array=True),
        _param(
            "status", {"type": "string", "enum": list(STATUSES)}, "active, expired, renewed or unknown.", array=True
        ),
        _param(
            "sort",
            {"type": "string", "enum": list(AGREEMENT_SORTS)},
            "signed (newest first, default), province, partner or period (latest end first).",
        ),
    ]
    for p in params:
        if p["schema"].get("type") == "array":
            p["schema"]["maxItems"] = MAX_FILTER_VALUES
    return params


@dataclass
class Endpoint:
    path: str  # under PREFIX, OpenAPI style ({id})
    summary: str
    response: type[BaseModel] | None
    params: list[dict] = field(default_factory=list)
    media_type: str = "application/json"
    errors: tuple[int, ...] = (400, 503)
    description: str = ""


def endpoints() -> list[Endpoint]:
    return [
        Endpoint("/", "What the API offers: endpoints, parameters, query syntax", IndexResponse, errors=()),
        Endpoint(
            "/search",
            "Search articles: hits, facet counts, detected names, corrections, warnings",
            SearchResponse,
            search_parameters(),
        ),
        Endpoint("/facets", "Every valid value of each facet, with counts", FacetsResponse, errors=(503,)),
        Endpoint(
            "/articles/{id}",
            "One article, every field",
            ArticleModel,
            [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            errors=(404, 503),
        ),
        Endpoint(
            "/export.csv",
            "A search as CSV (every page); the query is in a header comment line",
            None,
            [p for p in search_parameters() if p["name"] not in ("page", "per_page")],
            media_type="text/csv",
        ),
        Endpoint(
            "/agreements",
            "Agreement records: one per signing (province, partner, period, date, articles)",
            AgreementsResponse,
            agreement_parameters(),
        ),
        Endpoint(
            "/agreements.csv",
            "Agreement records as CSV; the filters are in a leading comment line",
            None,
            agreement_parameters(),
            media_type="text/csv",
        ),
    ]


def _components(models: list[type[BaseModel]]) -> dict:
    schemas: dict[str, Any] = {}
    for model in models:
        s = model.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True, mode="serialization")
        schemas.update(s.pop("$defs", {}))
        schemas[s.get("title", model.__name__)] = s
    return schemas


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    paths: dict[str, Any] = {}
    models: list[type[BaseModel]] = [ErrorResponse]
    for ep in endpoints():
        ok: dict[str, Any] = {"description": "OK"}
        if ep.response is not None:
            models.append(ep.response)
            name = ep.response.model_json_schema().get("title", ep.response.__name__)
            ok["content"] = {ep.media_type: {"schema": {"$ref": f"#/components/schemas/{name}"}}}
        else:
            ok["content"] = {ep.media_type: {"schema": {"type": "string"}}}
        responses: dict[str, Any] = {"200": ok}
        for status in ep.errors:
            responses[str(status)] = {
                "description": {
                    400: "Bad parameter (the message says which and why)",
                    404: "Not found",
                    503: "The search backend is down"
                    + (
                        "; or too many exports run at once (retry after Retry-After seconds)"
                        if ep.media_type == "text/csv"
                        else ""
                    ),
                }[status],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
            }
        paths[PREFIX + ep.path] = {
            "get": {
                "summary": ep.summary,
                "description": ep.description or ep.summary,
                "operationId": "get" + "".join(p.strip("{}").replace(".", "_").title() for p in ep.path.split("/")),
                "parameters": ep.params,
                "responses": responses,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CĐS Radar API",
            "version": API_VERSION,
            "description": "Search Vietnamese provincial digital-transformation news, and the agreements "
            "provinces signed with partners. Every GET answers with CORS "
            "`Access-Control-Allow-Origin: *`. `/api/...` is an alias of `/api/v1/...`.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": _components(models)},
    }
