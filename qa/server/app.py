"""``copydesk serve``: the HTTP service (FastAPI on uvicorn).

An adapter like the command line: it turns requests into calls of
:class:`qa.server.core.Core` (the project the command built, glossary compiled
once at start-up) and renders the answers: ``copydesk.check/1`` for ``/v1``,
LanguageTool's shapes for ``/v2`` (:mod:`qa.server.languagetool`). FastAPI
derives the OpenAPI document (``/openapi.json``) from the same
models that validate the requests; the test-suite runs schemathesis against it.

Guards, outermost first: metrics and a last-resort error handler (one line,
never a traceback), the Host check (DNS rebinding, loopback binds), the bearer
token (when one is set), the body limit (413), and per request a time limit
(503). Checks run in a small thread pool so ``/health`` answers during a long
check.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from fastapi import FastAPI, Form, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.server import languagetool as lt
from qa.server.core import VERSION, Core, NotFound, RequestError
from qa.server.metrics import Metrics

DEFAULT_MAX_BODY = 2 * 1024 * 1024
DEFAULT_TIME_LIMIT = 10.0
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
_SURROGATE = re.compile("[\ud800-\udfff]")


# ----------------------------------------------------------------------------- models
def _no_surrogates(v):
    if isinstance(v, str):
        m = _SURROGATE.search(v)
        if m:
            raise ValueError(f"not valid Unicode: a lone surrogate at offset {m.start()}")
    elif isinstance(v, list):
        for x in v:
            _no_surrogates(x)
    return v


class CheckRequest(BaseModel):
    """A text (or the content of an XLIFF, PO or TMX file) to check."""

    model_config = ConfigDict(extra="forbid", strict=True)
    text: str = Field(description="the article text, or the whole content of the bilingual file")
    format: Literal["text", "xliff", "po", "tmx"] = Field("text", description="what `text` is")
    lang: str | None = Field(None, description="target language (ISO 639-1 or auto); default: the server's",
                             pattern="^(auto|[a-z]{2})$")
    source: str | None = Field(None, description="the source article the text translates (plain text only)")
    source_lang: str | None = Field(None, description="the source's language, ISO 639-1 (default: detected)",
                                    pattern="^[a-z]{2}$")
    select: list[str] | None = Field(None, description="only these rules or families (name/near-miss, name)",
                                     max_length=100)
    ignore: list[str] | None = Field(None, description="skip these rules or families", max_length=100)
    name: str = Field("request", description="a label for the report's path/item (never a file)",
                      max_length=200)

    @field_validator("*")
    @classmethod
    def _unicode(cls, v):
        return _no_surrogates(v)  # a lone surrogate (JSON "\ud800") cannot be checked or answered in UTF-8


class FixRequest(CheckRequest):
    unsafe: bool = Field(False, description="also apply unsafe fixes")


class FixModel(BaseModel):
    replacement: str | None
    applicability: Literal["safe", "unsafe"]
    edits: list[dict[str, Any]]


class FindingModel(BaseModel):
    rule: str
    severity: Literal["error", "warning", "info"]
    start: int
    end: int
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    text: str
    message: str
    fix: FixModel | None
    alternatives: list[str]
    term: str | None
    data: dict[str, Any] | None = None
    fingerprint: str | None = None


class FixedModel(BaseModel):
    text: str = Field(description="the text (or file content) with the chosen fixes applied")
    applied: int
    left: int


class FileModel(BaseModel):
    path: str
    item: str | None = None
    language: str | None
    error: str | None
    words: int | None = None
    findings: list[FindingModel]
    source: dict[str, Any] | None = None
    fixed: FixedModel | None = Field(None, description="/v1/fix only")


class CheckResponse(BaseModel):
    schema_: Literal["copydesk.check/1"] = Field(alias="schema")
    files: list[FileModel]


class ErrorModel(BaseModel):
    error: str


class RuleModel(BaseModel):
    id: str
    severity: Literal["error", "warning", "info"]
    summary: str
    explanation: str


class TermModel(BaseModel):
    id: str
    kind: str
    preferred: str | None
    forms: dict[str, list[str]]
    native: dict[str, list[str]]
    wrong: dict[str, list[str]]
    note: str


class TermsModel(BaseModel):
    terms: list[TermModel]


class HealthModel(BaseModel):
    status: Literal["ok"]
    version: str
    lang: str
    glossary_terms: int


class LTLanguage(BaseModel):
    name: str
    code: str
    longCode: str


class LTReplacement(BaseModel):
    value: str


class LTCategory(BaseModel):
    id: str
    name: str


class LTRule(BaseModel):
    id: str
    description: str
    issueType: str
    category: LTCategory


class LTContext(BaseModel):
    text: str
    offset: int
    length: int


class LTMatch(BaseModel):
    message: str
    shortMessage: str
    replacements: list[LTReplacement]
    offset: int
    length: int
    context: LTContext
    sentence: str
    type: dict[str, str]
    rule: LTRule
    ignoreForIncompleteSentence: bool
    contextForSureMatch: int


class LTResponse(BaseModel):
    software: dict[str, Any]
    warnings: dict[str, Any]
    language: dict[str, Any]
    matches: list[LTMatch]


_ERRORS = {400: {"model": ErrorModel, "description": "malformed request"},
           413: {"model": ErrorModel, "description": "body over the size limit"},
           422: {"model": ErrorModel, "description": "invalid request"},
           503: {"model": ErrorModel, "description": "over the time limit, or busy"}}
_LT_ERRORS = {400: {"content": {"text/plain": {"schema": {"type": "string"}}},
                    "description": "bad parameters (LanguageTool's plain-text error)"},
              413: {"model": ErrorModel, "description": "body over the size limit"},
              422: {"model": ErrorModel, "description": "invalid parameter types"},
              503: {"model": ErrorModel, "description": "over the time limit, or busy"}}


class Busy(Exception):
    pass


def _one_line(s: str, limit: int = 300) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[:limit - 1] + "…"


def _validation_message(exc: RequestValidationError) -> str:
    errs = exc.errors()
    if not errs:
        return "invalid request"
    e = errs[0]
    if e.get("type") == "json_invalid":
        return f"the body is not valid JSON ({e.get('ctx', {}).get('error', 'decode error')} at character {e['loc'][-1]})"
    where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "request"
    more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
    return _one_line(f"{where}: {e.get('msg', 'invalid')}{more}")


# ----------------------------------------------------------------------------- the app
def create_app(core: Core, *, token: str | None = None, allowed_hosts: list[str] | None = None,
               max_body: int = DEFAULT_MAX_BODY, time_limit: float = DEFAULT_TIME_LIMIT,
               threads: int = 2, metrics: Metrics | None = None, inline_below: int = 64 * 1024) -> FastAPI:
    """The ASGI app over ``core``. ``token``: every endpoint but ``/health``
    needs ``Authorization: Bearer TOKEN``. ``allowed_hosts``: the Host header
    must name one of them (``None``: any)."""
    metrics = metrics or Metrics()
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="copydesk-check")
    # /docs and /redoc would load their scripts from a CDN into the reader's browser: only the document is served
    app = FastAPI(title="copydesk", version=VERSION, docs_url=None, redoc_url=None,
                  description="Quality assurance for machine-translated news: the `copydesk check` engine over "
                              "HTTP (schema copydesk.check/1), and a LanguageTool-compatible /v2/check.")
    app.state.core = core
    app.state.metrics = metrics

    async def run(fn, *args, size: int | None = None, **kw):
        """``fn`` in the check pool under the time limit (a job still queued
        when its request gave up is skipped). A text of fewer than
        ``inline_below`` characters (``size``) is checked at once on the event
        loop: such a check takes milliseconds (5 KB: about 15 ms), less than
        the two thread hand-overs cost on a loaded machine (measured: 4-8 ms
        per 5 KB request, about 20 %, benchmarks/load_serve.py)."""
        if size is not None and size < inline_below:
            return fn(*args, **kw)
        state = {"gave_up": False}

        def job():
            if state["gave_up"]:
                return None
            return fn(*args, **kw)

        fut = asyncio.get_running_loop().run_in_executor(pool, job)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout=time_limit)
        except asyncio.TimeoutError:
            state["gave_up"] = True
            raise Busy(f"the check took longer than the server's time limit ({time_limit:g} s): "
                       "send a shorter text, or try again when the server is less busy") from None

    # ---- errors: one line, never a traceback ----------------------------------------------
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return JSONResponse({"error": _validation_message(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # every method of the path (GET and POST /v2/check are two routes)
            methods = {m for r in app.routes if getattr(r, "path_regex", None) and r.path_regex.match(request.url.path)
                       for m in (getattr(r, "methods", None) or ())}
            headers["Allow"] = ", ".join(sorted(methods))
        return JSONResponse({"error": _one_line(exc.detail)}, status_code=exc.status_code, headers=headers or None)

    @app.exception_handler(RequestError)
    async def _bad(request: Request, exc: RequestError):
        if request.url.path.startswith("/v2/"):
            return PlainTextResponse(f"Error: {_one_line(exc)}", status_code=400)
        return JSONResponse({"error": _one_line(exc)}, status_code=422)

    @app.exception_handler(NotFound)
    async def _nf(request: Request, exc: NotFound):
        return JSONResponse({"error": _one_line(exc)}, status_code=404)

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy):
        return JSONResponse({"error": _one_line(exc)}, status_code=503, headers={"Retry-After": "5"})

    # ---- /v1 ------------------------------------------------------------------------------
    def _check(req: CheckRequest, fix: bool) -> dict:
        out = core.check(req.text, fmt=req.format, name=req.name, lang=req.lang, source=req.source,
                         source_lang=req.source_lang, select=req.select, ignore=req.ignore, fix=fix,
                         unsafe=getattr(req, "unsafe", False))
        metrics.count_findings(out.findings)
        return core.report([out])

    @app.post("/v1/check", response_model=CheckResponse, responses=_ERRORS, tags=["v1"],
              summary="check a text or a bilingual file's content (copydesk.check/1)")
    async def check(req: CheckRequest):
        return JSONResponse(await run(_check, req, False, size=_size(req)))

    @app.post("/v1/fix", response_model=CheckResponse, responses=_ERRORS, tags=["v1"],
              summary="check and fix: copydesk.check/1 with files[].fixed (the fixed text)")
    async def fix(req: FixRequest):
        return JSONResponse(await run(_check, req, True, size=_size(req)))

    @app.get("/v1/rules", response_model=list[RuleModel], tags=["v1"], summary="the rules")
    async def rules():
        return JSONResponse(core.rules())

    @app.get("/v1/rules/{rule:path}", tags=["v1"], summary="one rule's documentation (copydesk rules RULE)",
             responses={404: {"model": ErrorModel, "description": "unknown rule"}, 422: _ERRORS[422],
                        503: _ERRORS[503]})
    async def rule(rule: str = Path(pattern="^[a-z][a-z0-9-]*(/[a-z][a-z0-9-]*)?$", max_length=80,
                                    description="a rule id (name/near-miss) or its name (near-miss)")) \
            -> dict[str, Any]:
        return JSONResponse(await run(core.rule_doc, rule))

    @app.get("/v1/glossary/terms", response_model=TermsModel, responses={422: _ERRORS[422]}, tags=["v1"],
             summary="look up glossary terms by id or any form (case- and accent-insensitive)")
    async def terms(q: str = Query("", max_length=200, description="part of a term id or form"),
                    lang: str | None = Query(None, max_length=20, description="language of `preferred`"),
                    limit: int = Query(20, ge=1, le=200)):
        _no_surrogates_q(q)
        return JSONResponse({"terms": core.glossary_terms(q, lang, limit)})

    @app.get("/health", response_model=HealthModel, tags=["service"])
    async def health():
        return JSONResponse({"status": "ok", "version": VERSION, "lang": core.lang,
                             "glossary_terms": len(core.project.glossary.terms)})

    @app.get("/metrics", tags=["service"], response_class=PlainTextResponse,
             summary="Prometheus text format: requests, latency histogram, findings by rule")
    async def metrics_endpoint():
        body, ctype = metrics.exposition()
        return Response(body, media_type=ctype)

    # ---- /v2: LanguageTool ----------------------------------------------------------------
    def _lt(text, data, language, enabled_rules, disabled_rules, enabled_categories, disabled_categories,
            enabled_only) -> dict:
        for v in (text, data, language, enabled_rules, disabled_rules, enabled_categories, disabled_categories):
            if isinstance(v, str) and _SURROGATE.search(v):
                raise RequestError("a parameter is not valid Unicode (a lone surrogate)")
        ann = lt.plain_text(text, data)
        lang = lt.parse_language(language)
        from qa.engine.registry import RULES

        select, ignore = lt.selection(set(RULES), enabled_rules=enabled_rules, disabled_rules=disabled_rules,
                                      enabled_categories=enabled_categories,
                                      disabled_categories=disabled_categories,
                                      enabled_only=(enabled_only or "").lower() == "true")
        if select == []:  # enabledOnly with none of copydesk's rules: nothing to check
            return lt.response([], ann, None if lang == "auto" else lang, lang, RULES)
        out = core.check(ann.plain, lang=lang, select=select, ignore=ignore)
        metrics.count_findings(out.findings)
        return lt.response(out.findings, ann, out.language, lang, RULES)

    _desc = {"text": "the text to check (or `data`)",
             "data": "annotated text as JSON: {\"annotation\": [{\"text\": …}, {\"markup\": …, \"interpretAs\": …}]}",
             "language": "en-US, nl, de-DE … or auto"}

    @app.post("/v2/check", response_model=LTResponse, responses=_LT_ERRORS, tags=["LanguageTool"],
              summary="LanguageTool-compatible check (offsets in UTF-16 code units)")
    async def lt_check(text: str | None = Form(None, description=_desc["text"]),
                       data: str | None = Form(None, description=_desc["data"]),
                       language: str | None = Form(None, description=_desc["language"]),
                       enabledRules: str | None = Form(None), disabledRules: str | None = Form(None),
                       enabledCategories: str | None = Form(None), disabledCategories: str | None = Form(None),
                       enabledOnly: str | None = Form(None), motherTongue: str | None = Form(None),
                       preferredVariants: str | None = Form(None), level: str | None = Form(None),
                       username: str | None = Form(None), apiKey: str | None = Form(None)):
        return JSONResponse(await run(_lt, text, data, language, enabledRules, disabledRules, enabledCategories,
                                      disabledCategories, enabledOnly, size=len(text or "") + len(data or "")))

    @app.get("/v2/check", response_model=LTResponse, responses=_LT_ERRORS, tags=["LanguageTool"],
             summary="the same as POST, parameters in the query (short texts)")
    async def lt_check_get(text: str | None = Query(None, description=_desc["text"]),
                           data: str | None = Query(None, description=_desc["data"]),
                           language: str | None = Query(None, description=_desc["language"]),
                           enabledRules: str | None = Query(None), disabledRules: str | None = Query(None),
                           enabledCategories: str | None = Query(None), disabledCategories: str | None = Query(None),
                           enabledOnly: str | None = Query(None)):
        return JSONResponse(await run(_lt, text, data, language, enabledRules, disabledRules, enabledCategories,
                                      disabledCategories, enabledOnly, size=len(text or "") + len(data or "")))

    @app.get("/v2/languages", response_model=list[LTLanguage], tags=["LanguageTool"],
             summary="the languages copydesk checks names for")
    async def lt_languages():
        from qa.text.translit import PRESS_LANGS

        return JSONResponse(lt.languages(PRESS_LANGS))

    # ---- guards (added last = outermost) ---------------------------------------------------
    app.add_middleware(BodyLimit, max_body=max_body)
    if token:
        app.add_middleware(BearerToken, token=token)
    if allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(Guard, metrics=metrics)
    return app


def _size(req: CheckRequest) -> int:
    return len(req.text) + len(req.source or "")


def _no_surrogates_q(q: str) -> None:
    if _SURROGATE.search(q):
        raise RequestError("q is not valid Unicode (a lone surrogate)")


# ----------------------------------------------------------------------------- middleware
async def _send_json(send, status: int, body: dict, headers: list | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """413 for a body over ``max_body`` bytes: at once from Content-Length, or
    as soon as a streamed (chunked) body passes the limit."""

    def __init__(self, app, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        msg = {"error": f"request body over the server's limit of {self.max_body:,} bytes"}
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    return await _send_json(send, 400, {"error": "bad Content-Length header"})
                if n > self.max_body:
                    return await _send_json(send, 413, msg)
        # no Content-Length (a chunked body): read it here, up to the limit, then hand it on
        chunks, seen = [], 0
        while True:
            m = await receive()
            if m["type"] != "http.request":
                return
            body = m.get("body", b"")
            seen += len(body)
            if seen > self.max_body:
                return await _send_json(send, 413, msg)
            chunks.append(body)
            if not m.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return whole
            return await receive()

        await self.app(scope, replay, send)


class BearerToken:
    """Every endpoint but ``/health`` needs ``Authorization: Bearer TOKEN``
    (compared in constant time)."""

    OPEN = {"/health"}

    def __init__(self, app, token: str) -> None:
        self.app, self.token = app, token.encode("utf-8")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in self.OPEN:
            return await self.app(scope, receive, send)
        given = b""
        for k, v in scope.get("headers", ()):
            if k == b"authorization":
                scheme, _, cred = v.partition(b" ")
                if scheme.lower() == b"bearer":
                    given = cred.strip()
        if not hmac.compare_digest(given, self.token):
            return await _send_json(send, 401, {"error": "missing or wrong bearer token (Authorization: Bearer …)"},
                                    [(b"www-authenticate", b'Bearer realm="copydesk"')])
        return await self.app(scope, receive, send)


class Guard:
    """Outermost: counts and times every request for /metrics, and turns any
    exception that escaped the app into a one-line 500 (never a traceback)."""

    def __init__(self, app, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 500
        started = observed = False

        def observe() -> None:
            nonlocal observed
            if not observed:
                observed = True
                route = scope.get("route")
                path = getattr(route, "path", None) or "(unmatched)"
                self.metrics.observe(scope.get("method", ""), path, status, time.perf_counter() - t0)

        async def tracking_send(m):
            nonlocal status, started
            if m["type"] == "http.response.start":
                status, started = m["status"], True
            elif m["type"] == "http.response.body" and not m.get("more_body"):
                # counted before the client can have the answer: a /metrics request that follows
                # this one (on another worker too) always sees it
                observe()
            await send(m)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as e:  # a bug: answer in one line, log one line, keep serving
            status = 500
            import logging

            logging.getLogger("copydesk.serve").error("internal error on %s %s: %s: %s (please report this)",
                                                      scope.get("method"), scope.get("path"), type(e).__name__, e)
            if not started:
                await _send_json(send, 500, {"error": _one_line(f"internal error: {type(e).__name__}: {e} "
                                                                "(please report this)")})
        finally:
            observe()


# ----------------------------------------------------------------------------- for uvicorn workers
CONFIG_ENV = "COPYDESK_SERVE_CONFIG"


def create_app_from_env() -> FastAPI:
    """The app a uvicorn worker process builds (``--workers N``): the serve
    command wrote its settings (glossary texts included) and guards to the
    JSON file ``$COPYDESK_SERVE_CONFIG``; each worker compiles from them (the
    compiled glossary comes from the cache) before it accepts requests."""
    with open(os.environ[CONFIG_ENV], encoding="utf-8") as fh:
        cfg = json.load(fh)
    token = None
    if cfg.get("token_file"):
        with open(cfg["token_file"], encoding="utf-8") as fh:  # the operator's file, checked by the command
            token = fh.read().strip()
    core = Core.from_settings_json(cfg["settings"])
    core.warm()
    return create_app(core, token=token, allowed_hosts=cfg.get("allowed_hosts"),
                      max_body=cfg["max_body"], time_limit=cfg["time_limit"], threads=cfg.get("threads", 2))
