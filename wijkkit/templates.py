"""Method templates: the agenda a meeting starts from, kept as data files.

The built-in templates ship in resources/templates as JSON. A facilitator's own
templates (copies, edits, imports from colleagues) live as JSON files in the
``templates`` folder of the data dir, so they can be mailed or put on a stick as
they are. Every file is validated before use; a bad file gets a clear message.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit import agenda
from wijkkit.assets import resource
from wijkkit.atomic import write_atomically
from wijkkit.errors import ImportFormatError, Message, ValidationError
from wijkkit.i18n import N_
from wijkkit.ids import new_id
from wijkkit.models import GROUP_FORMS

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.models import Step

DEFAULT_TEMPLATE = "zevenstappen"
REPEAT_TEMPLATE = "vervolg"
BUILTIN = (DEFAULT_TEMPLATE, REPEAT_TEMPLATE)
FORMAT, VERSION = "wijkkit-template", 1
STEP_KINDS = ("step", "break")
MAX_STEPS, MAX_MINUTES = 40, agenda.MAX_STEP_MINUTES


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
    builtin: bool = False

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.steps)

    def to_data(self) -> dict[str, Any]:
        steps = [{**asdict(s), "prompts": list(s.prompts)} for s in self.steps]
        return {"format": FORMAT, "version": VERSION, "id": self.id, "name": self.name,
                "description": self.description, "steps": steps}  # fmt: skip


def _bad(path: str, reason: str, **params: object) -> ImportFormatError:
    return ImportFormatError(path=path, reason=Message(reason, **params))


def _step(raw: Any, number: int, path: str) -> TemplateStep:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"].strip():
        raise _bad(path, N_("step {n} has no title."), n=number)
    minutes = raw.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= MAX_MINUTES:
        raise _bad(path, N_("step {n} needs a whole number of minutes from 1 to {max}."), n=number, max=MAX_MINUTES)
    form, kind = raw.get("group_form", "plenary"), raw.get("kind", "step")
    if form not in GROUP_FORMS:
        raise _bad(path, N_("step {n} has an unknown form: {form}."), n=number, form=form)
    if kind not in STEP_KINDS:
        raise _bad(path, N_("step {n} has an unknown kind: {kind}."), n=number, kind=kind)
    prompts = raw.get("prompts", [])
    if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
        raise _bad(path, N_("the prompts of step {n} are not a list of texts."), n=number)
    purpose = raw.get("purpose", "")
    return TemplateStep(raw["title"].strip(), purpose if isinstance(purpose, str) else "", minutes, form, kind,
                        tuple(p.strip() for p in prompts if p.strip()))  # fmt: skip


def parse(data: Any, path: str = "<template>", builtin: bool = False) -> Template:
    """A validated Template from JSON data; ImportFormatError says what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(path, N_("it is not a Wijkkit method template."))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(path, N_("it is not a Wijkkit method template."))
    if version > VERSION:
        raise _bad(path, N_("it comes from a newer version of Wijkkit."))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _bad(path, N_("the template has no name."))
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise _bad(path, N_("the template has no steps."))
    if len(raw_steps) > MAX_STEPS:
        raise _bad(path, N_("the template has more than {max} steps."), max=MAX_STEPS)
    steps = tuple(_step(raw, n, path) for n, raw in enumerate(raw_steps, start=1))
    template_id = data.get("id") if isinstance(data.get("id"), str) and data.get("id") else new_id()
    description = data.get("description") if isinstance(data.get("description"), str) else ""
    return Template(template_id, name.strip(), description, steps, builtin)


def load(path: Path, builtin: bool = False) -> Template:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _bad(str(path), N_("the file does not exist.")) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, OSError) as exc:
        raise _bad(str(path), N_("it is not valid JSON.")) from exc
    return parse(data, str(path), builtin)


def builtin(template_id: str = DEFAULT_TEMPLATE) -> Template:
    return load(resource("templates", f"{template_id}.json"), builtin=True)


def user_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "templates"


def own_dir(kit: Kit) -> Path | None:
    """Where this database's facilitator keeps own templates: beside the database."""
    return user_dir(kit.path.parent) if kit.path is not None else None


def available(own: Path | None) -> list[Template]:
    """The built-in templates, then the facilitator's own (unreadable files are left out)."""
    found = [builtin(t) for t in BUILTIN]
    if own is not None and own.is_dir():
        for path in sorted(own.glob("*.json")):
            try:
                found.append(load(path))
            except ImportFormatError:
                continue
    return found


def write(template: Template, path: Path) -> Path:
    """Write a template file (temp name, fsync, rename: never a half file)."""
    return write_atomically(path, json.dumps(template.to_data(), ensure_ascii=False, indent=2).encode("utf-8"))


def save_own(template: Template, own: Path) -> Template:
    """Keep a template among the facilitator's own; a built-in one is saved as a copy."""
    if template.builtin:
        template = replace(template, id=new_id(), builtin=False)
    own.mkdir(parents=True, exist_ok=True)
    target = write(template, own / f"{_slug(template.name)}-{template.id[-8:]}.json")
    for older in own.glob(f"*-{template.id[-8:]}.json"):  # the file under its previous name
        if older != target:
            older.unlink()
    return template


def import_own(path: Path, own: Path) -> Template:
    """Validate a colleague's template file and add it to the own templates, as a new copy."""
    template = replace(load(path), id=new_id())
    return save_own(template, own)


def delete_own(template: Template, own: Path) -> None:
    for path in own.glob(f"*-{template.id[-8:]}.json"):
        path.unlink()


def copy(template: Template, name: str) -> Template:
    return replace(template, id=new_id(), name=name.strip() or template.name, builtin=False)


def from_steps(name: str, steps: list[Step], description: str = "") -> Template:
    """A template made from a meeting's agenda, to reuse it for another meeting."""
    return Template(new_id(), name, description, tuple(
        TemplateStep(s.title, s.purpose, s.minutes, s.group_form, s.kind, tuple(s.prompt_list)) for s in steps
    ))  # fmt: skip


@dataclass(frozen=True)
class DraftStep:
    """A step of a template being edited; shaped like models.Step for the editor."""

    id: str
    title: str
    minutes: int
    purpose: str = ""
    prompts: str = ""
    group_form: str = "plenary"
    kind: str = "step"

    @property
    def prompt_list(self) -> list[str]:
        return [p for p in self.prompts.splitlines() if p.strip()]


class TemplateDraft:
    """A template opened for editing: the same step methods as a meeting's agenda.

    Changes stay in memory until ``to_template`` (and ``save_own``) keeps them.
    """

    def __init__(self, template: Template) -> None:
        self.template = template
        self._steps = [
            DraftStep(new_id(), s.title, s.minutes, s.purpose, "\n".join(s.prompts), s.group_form, s.kind)
            for s in template.steps
        ]

    def steps(self) -> list[DraftStep]:
        return list(self._steps)

    def _index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self._steps) if s.id == step_id)

    def add_step(self, title: str, minutes: int, position: int | None = None, **details: Any) -> str:
        from wijkkit.sessions import check_step

        values = check_step({"title": title, "minutes": minutes, **details})
        step = DraftStep(new_id(), **values)
        self._steps.insert(len(self._steps) if position is None else position, step)
        return step.id

    def edit_step(self, step_id: str, **changes: Any) -> None:
        from wijkkit.sessions import check_step

        index = self._index(step_id)
        self._steps[index] = replace(self._steps[index], **check_step(dict(changes)))

    def remove_step(self, step_id: str) -> None:
        del self._steps[self._index(step_id)]

    def move_step(self, step_id: str, to_index: int) -> None:
        step = self._steps.pop(self._index(step_id))
        self._steps.insert(max(0, min(to_index, len(self._steps))), step)

    def starts(self) -> None:
        return None

    def fit(self) -> None:
        return None

    def to_template(self, name: str | None = None, description: str | None = None) -> Template:
        if not self._steps:
            raise ValidationError(N_("A template needs at least one step."), field="steps")
        name = (name if name is not None else self.template.name).strip()
        if not name:
            raise ValidationError(N_("A template needs a name."), field="name")
        return replace(
            from_steps(name, self._steps, self.template.description if description is None else description),  # type: ignore[arg-type]
            id=self.template.id,
            builtin=self.template.builtin,
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "sjabloon"


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
