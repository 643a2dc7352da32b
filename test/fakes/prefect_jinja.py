"""
Renders trigger parameters the way a Prefect 3 server does (the reference the template tests
compare Leadbell against): Jinja2's immutable sandbox with ChainableUndefined, a `tojson` that
dumps pydantic models and sorts keys with HTML-safe escapes, and parameter strings that are a
single expression rendered through `tojson` and parsed back as JSON, others rendered as text.
The event is a pydantic model shaped like Prefect's ReceivedEvent (a Resource with `id`/`name`
properties and label lookup by key).

Reads one JSON request per line on stdin: {"template": str, "event": {...}}; writes one JSON line
per request: {"ok": value} or {"error": message}.
"""
import json
import sys
import uuid
from datetime import datetime
from typing import Any, Optional

from jinja2 import ChainableUndefined, pass_eval_context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import htmlsafe_json_dumps
from pydantic import BaseModel, RootModel


class Labelled(RootModel[dict[str, str]]):
    def keys(self):
        return self.root.keys()

    def items(self):
        return self.root.items()

    def __getitem__(self, label: str) -> str:
        return self.root[label]

    def __contains__(self, key: str) -> bool:
        return key in self.root

    def get(self, label: str, default: Optional[str] = None) -> Optional[str]:
        return self.root.get(label, default)

    @property
    def id(self) -> str:
        return self["prefect.resource.id"]

    @property
    def name(self) -> Optional[str]:
        return self.get("prefect.resource.name")


class ReceivedEvent(BaseModel):
    occurred: datetime
    event: str
    resource: Labelled
    related: list[Labelled] = []
    payload: dict[str, Any] = {}
    id: uuid.UUID
    follows: Optional[uuid.UUID] = None
    received: datetime


def _plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return _plain(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pass_eval_context
def _tojson(eval_ctx, value, indent=None):
    policies = eval_ctx.environment.policies
    kwargs = dict(policies["json.dumps_kwargs"])
    if indent is not None:
        kwargs["indent"] = indent
    return htmlsafe_json_dumps(_plain(value), dumps=policies["json.dumps_function"], **kwargs)


env = ImmutableSandboxedEnvironment(undefined=ChainableUndefined)
env.filters["tojson"] = _tojson


def render_parameter(template: str, context: dict[str, Any]) -> Any:
    if "{{" not in template and "{%" not in template:
        return template
    stripped = template.strip()
    if stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1:
        inner = stripped[2:-2].strip()
        return json.loads(env.from_string("{{ " + inner + " | tojson }}").render(context))
    return env.from_string(template).render(context)


for line in sys.stdin:
    request = json.loads(line)
    try:
        event = ReceivedEvent.model_validate(request["event"])
        out = {"ok": render_parameter(request["template"], {"event": event})}
    except Exception as exc:  # noqa: BLE001 - every failure is reported to the caller
        out = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
