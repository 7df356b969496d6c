"""Method templates: the agenda a meeting starts from, kept as data files.

Templates ship in resources/templates as JSON so that a facilitator can copy,
edit and share them. This module reads them and puts their steps on a meeting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit.assets import resource

if TYPE_CHECKING:
    from wijkkit.kit import Kit

DEFAULT_TEMPLATE = "zevenstappen"


@dataclass(frozen=True)
class TemplateStep:
    title: str
    purpose: str
    minutes: int
    group_form: str
    kind: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str
    steps: tuple[TemplateStep, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.steps)


def parse(data: dict[str, Any]) -> Template:
    steps = tuple(
        TemplateStep(
            title=s["title"],
            purpose=s.get("purpose", ""),
            minutes=int(s["minutes"]),
            group_form=s.get("group_form", "plenary"),
            kind=s.get("kind", "step"),
            prompts=tuple(s.get("prompts", ())),
        )
        for s in data["steps"]
    )
    return Template(data["id"], data["name"], data.get("description", ""), steps)


def load(path: Path) -> Template:
    return parse(json.loads(path.read_text(encoding="utf-8")))


def builtin(template_id: str = DEFAULT_TEMPLATE) -> Template:
    return load(resource("templates", f"{template_id}.json"))


def apply(kit: Kit, session_id: str, template: Template) -> None:
    """Give a meeting the steps of a template, after any steps it already has."""
    with kit.transaction():
        for step in template.steps:
            kit.sessions.add_step(
                session_id,
                step.title,
                step.minutes,
                purpose=step.purpose,
                group_form=step.group_form,
                kind=step.kind,
                prompts="\n".join(step.prompts),
            )
        kit.update("session", session_id, {"method": template.name})
