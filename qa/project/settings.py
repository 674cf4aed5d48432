"""A project's settings: what decides a check's findings, as plain data."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import asdict, dataclass, field

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """What decides a check's findings, as plain data (JSON): a spawned worker
    or a Dask worker on another machine rebuilds the same project from it.
    Immutable: a changed setting is a new project (:meth:`Project.with_lang`,
    :meth:`Project.reloaded`)."""

    glossaries: list[tuple[str, str]] = field(default_factory=list)  # (path, TOML text); [] = shipped
    lang: str = "en"
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|info
    exclude: list[str] = field(default_factory=list)
    fail_on: str = "error"
    jobs: int | None = None
    records: bool = True  # drop findings a reviewer rejected (review records)
    config: str | None = None  # the configuration file these came from

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> "Settings":
        d = json.loads(s)
        d["glossaries"] = [tuple(x) for x in d["glossaries"]]
        return cls(**d)

    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)
