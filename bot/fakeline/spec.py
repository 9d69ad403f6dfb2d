"""Request validation for the fake LINE server.

The vendored OpenAPI file (``messaging-api.yml``) describes polymorphic objects with
``discriminator.mapping`` (Message, FlexContainer, FlexComponent, Action, Template, ...), which
plain JSON Schema validation ignores: a message of type ``"txet"`` or a Flex box with
``"layout": "diagonal"`` would pass.  We rewrite the spec once per process so that every schema
carrying a discriminator dispatches, through a custom keyword, to the schema its ``type`` maps to:

* ``X`` (the schema referenced from polymorphic positions) gets ``x-fake-dispatch``;
* ``X__base`` is ``X`` without the discriminator; the mapped sub-schemas' ``allOf`` entries that
  pointed at ``X`` now point at ``X__base`` (otherwise dispatch would recurse forever);
* every mapped sub-schema also pins its ``type`` to its mapping key(s), so a sub-schema referenced
  directly (``FlexCarousel.contents`` -> ``FlexBubble``) still rejects a wrong ``type``.

A single jsonschema validation of the whole request body then checks every nested object, with
error paths.  Limits the spec lacks (text length in UTF-16 units, Flex sizes, altText, ...) are
checked in :func:`check_limits`.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

DEFAULT_SPEC_PATH = Path(__file__).with_name("messaging-api.yml")
SPEC_URI = "urn:fakeline:messaging-api"
SCHEMA_PREFIX = "#/components/schemas/"

# request-body schema of each endpoint the fake validates
REQUEST_SCHEMAS = {
    "reply": "ReplyMessageRequest",
    "push": "PushMessageRequest",
    "multicast": "MulticastRequest",
    "broadcast": "BroadcastRequest",
    "narrowcast": "NarrowcastRequest",
    "loading": "ShowLoadingAnimationRequest",
}

# limits LINE documents but the OpenAPI file does not encode
TEXT_MAX = 5000  # UTF-16 code units
ALT_TEXT_MAX = 400
QUICK_REPLY_LABEL_MAX = 20
BUBBLE_MAX_BYTES = 30_000
CAROUSEL_MAX_BYTES = 50_000
CAROUSEL_MAX_BUBBLES = 12
BUTTONS_MAX_ACTIONS = 4
TEMPLATE_CAROUSEL_MAX_COLUMNS = 10
BODY_MAX_BYTES = 2 * 1024 * 1024


def utf16_len(s: str) -> int:
    """Length as LINE counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(s.encode("utf-16-le")) // 2


def compact_json_bytes(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# --------------------------------------------------------------------------- spec preparation


def _dispatch(validator, spec, instance, schema):
    """Custom keyword: validate ``instance`` against the schema its discriminator value maps to."""
    if not validator.is_type(instance, "object"):
        return  # the schema's own "type": "object" reports it
    prop = spec["propertyName"]
    mapping = spec["mapping"]
    if prop not in instance:
        return  # "required" (forced to contain prop) reports it
    value = instance[prop]
    target = mapping.get(value) if isinstance(value, str) else None
    if target is None:
        yield from validator.descend(value, {"enum": list(mapping)}, path=prop)
        return
    yield from validator.descend(instance, {"$ref": target})


_FakeValidator = jsonschema.validators.extend(Draft7Validator, {"x-fake-dispatch": _dispatch})


def prepare_schemas(doc: dict) -> dict:
    """Rewrite ``doc["components"]["schemas"]`` in place (see module docstring); returns doc."""
    schemas = doc["components"]["schemas"]
    for name, schema in list(schemas.items()):
        disc = schema.get("discriminator")
        if not isinstance(disc, dict) or not disc.get("mapping"):
            continue
        prop = disc.get("propertyName", "type")
        mapping = dict(disc["mapping"])
        base_name = f"{name}__base"
        schemas[base_name] = {k: v for k, v in schema.items() if k != "discriminator"}
        schema["x-fake-dispatch"] = {"propertyName": prop, "mapping": mapping}
        required = list(schema.get("required", []))
        if prop not in required:
            required.append(prop)
        schema["required"] = required
        schema.setdefault("type", "object")

        keys_by_target: dict[str, list[str]] = defaultdict(list)
        for key, ref in mapping.items():
            keys_by_target[ref].append(key)
        own_ref = SCHEMA_PREFIX + name
        every_target_has_base = True
        for ref, keys in keys_by_target.items():
            target = schemas.get(ref[len(SCHEMA_PREFIX):]) if ref.startswith(SCHEMA_PREFIX) else None
            if target is None:
                every_target_has_base = False
                continue
            parts = target.setdefault("allOf", [])
            has_base = False
            for part in parts:
                if isinstance(part, dict) and part.get("$ref") == own_ref:
                    part["$ref"] = SCHEMA_PREFIX + base_name
                    has_base = True
            every_target_has_base &= has_base
            parts.append({"properties": {prop: {"enum": keys}}})
        if every_target_has_base:
            # the mapped schema re-checks the base's own properties: don't check them twice
            schemas[name] = {
                "type": "object",
                "required": required,
                "x-fake-dispatch": schema["x-fake-dispatch"],
            }
    return doc


class SpecValidator:
    """Validators for the request bodies, built once from the (prepared) spec."""

    def __init__(self, doc: dict):
        self.doc = doc
        resource = Resource(contents=doc, specification=DRAFT7)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[str, Any] = {}
        for endpoint, schema_name in REQUEST_SCHEMAS.items():
            if schema_name in doc["components"]["schemas"]:
                self._validators[endpoint] = _FakeValidator(
                    {"$ref": f"{SPEC_URI}{SCHEMA_PREFIX}{schema_name}"}, registry=self.registry
                )

    def validator_for(self, endpoint: str):
        return self._validators.get(endpoint)

    def validate(self, endpoint: str, body: Any) -> list[dict]:
        """LINE-style error details ({"message", "property"}) for ``body``; [] when valid."""
        details: list[dict] = []
        v = self._validators.get(endpoint)
        if v is not None:
            errors = sorted(v.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])
            seen = set()
            for e in errors:
                d = _detail_from_error(e)
                key = (d["property"], d["message"])
                if key not in seen:
                    seen.add(key)
                    details.append(d)
        details.extend(check_limits(body))
        return details


def load_spec(spec_path: str | Path | None = None) -> SpecValidator:
    """Load, prepare and compile the spec: once per process for a given file content (the vendored
    copy and an identical copy elsewhere share one compiled validator)."""
    path = Path(spec_path) if spec_path else DEFAULT_SPEC_PATH
    data = path.read_bytes()
    return _compile(hashlib.sha256(data).hexdigest(), data)


@functools.lru_cache(maxsize=4)
def _compile(digest: str, data: bytes) -> SpecValidator:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(data, Loader=loader)
    return SpecValidator(prepare_schemas(doc))


# --------------------------------------------------------------------------- error formatting


def property_path(parts: Iterable[Any]) -> str:
    """deque(['messages', 0, 'text']) -> 'messages[0].text' (LINE's style)."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def _short(value: Any, limit: int = 80) -> str:
    s = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _detail_from_error(e: jsonschema.ValidationError) -> dict:
    path = list(e.absolute_path)
    v, vv, sch = e.validator, e.validator_value, e.schema if isinstance(e.schema, dict) else {}
    if v == "required":
        missing = e.message.split("'")[1] if e.message.count("'") >= 2 else ""
        return {"message": "must be specified", "property": property_path(path + [missing])}
    if v in ("minItems", "maxItems"):
        lo, hi = sch.get("minItems", 0), sch.get("maxItems")
        msg = f"Size must be between {lo} and {hi}" if hi is not None else f"Size must be at least {lo}"
    elif v in ("minLength", "maxLength"):
        lo, hi = sch.get("minLength", 0), sch.get("maxLength")
        msg = f"Length must be between {lo} and {hi}" if hi is not None else f"Length must be at least {lo}"
    elif v == "enum":
        msg = f"Invalid value {_short(e.instance)}: must be one of the following values: [{', '.join(map(str, vv))}]"
    elif v == "type":
        msg = f"Invalid type {type(e.instance).__name__}: must be {vv}"
    elif v == "pattern":
        msg = f"Invalid value {_short(e.instance)}: must match {vv}"
    else:
        msg = e.message if len(e.message) <= 200 else e.message[:197] + "..."
    return {"message": msg, "property": property_path(path)}


# --------------------------------------------------------------------------- extra limits


def check_limits(body: Any) -> list[dict]:
    out: list[dict] = []
    if not isinstance(body, dict):
        return out
    messages = body.get("messages")
    if isinstance(messages, list):
        for i, m in enumerate(messages):
            _check_message(m, f"messages[{i}]", out)
    return out


def _err(out: list, prop: str, message: str) -> None:
    out.append({"message": message, "property": prop})


def _check_message(m: Any, p: str, out: list) -> None:
    if not isinstance(m, dict):
        return
    t = m.get("type")
    if t in ("text", "textV2"):
        text = m.get("text")
        if isinstance(text, str):
            n = utf16_len(text)
            if n == 0:
                _err(out, f"{p}.text", "must be specified")
            elif n > TEXT_MAX:
                _err(out, f"{p}.text", f"Length must be between 1 and {TEXT_MAX} (got {n} UTF-16 code units)")
    if t in ("flex", "template", "imagemap"):
        alt = m.get("altText")
        if isinstance(alt, str):
            n = utf16_len(alt)
            if n == 0:
                _err(out, f"{p}.altText", "must be specified")
            elif n > ALT_TEXT_MAX:
                _err(out, f"{p}.altText", f"Length must be between 1 and {ALT_TEXT_MAX} (got {n})")
    if t == "flex":
        _check_flex_container(m.get("contents"), f"{p}.contents", out)
    if t == "template":
        _check_template(m.get("template"), f"{p}.template", out)
    qr = m.get("quickReply")
    if isinstance(qr, dict) and isinstance(qr.get("items"), list):
        for j, item in enumerate(qr["items"]):
            action = item.get("action") if isinstance(item, dict) else None
            label = action.get("label") if isinstance(action, dict) else None
            if isinstance(label, str):
                n = utf16_len(label)
                if n > QUICK_REPLY_LABEL_MAX:
                    _err(out, f"{p}.quickReply.items[{j}].action.label",
                         f"Length must be between 0 and {QUICK_REPLY_LABEL_MAX} (got {n})")


def _check_flex_container(c: Any, p: str, out: list) -> None:
    if not isinstance(c, dict):
        return
    if c.get("type") == "bubble":
        size = compact_json_bytes(c)
        if size > BUBBLE_MAX_BYTES:
            _err(out, p, f"Flex bubble is {size} bytes of JSON; must be at most {BUBBLE_MAX_BYTES}")
    elif c.get("type") == "carousel":
        bubbles = c.get("contents")
        if isinstance(bubbles, list):
            if len(bubbles) > CAROUSEL_MAX_BUBBLES:
                _err(out, f"{p}.contents", f"Size must be between 1 and {CAROUSEL_MAX_BUBBLES}")
            for k, b in enumerate(bubbles):
                if isinstance(b, dict):
                    size = compact_json_bytes(b)
                    if size > BUBBLE_MAX_BYTES:
                        _err(out, f"{p}.contents[{k}]",
                             f"Flex bubble is {size} bytes of JSON; must be at most {BUBBLE_MAX_BYTES}")
        size = compact_json_bytes(c)
        if size > CAROUSEL_MAX_BYTES:
            _err(out, p, f"Flex carousel is {size} bytes of JSON; must be at most {CAROUSEL_MAX_BYTES}")


def _check_template(t: Any, p: str, out: list) -> None:
    if not isinstance(t, dict):
        return
    kind = t.get("type")
    actions = t.get("actions")
    if kind == "buttons" and isinstance(actions, list) and not 1 <= len(actions) <= BUTTONS_MAX_ACTIONS:
        _err(out, f"{p}.actions", f"Size must be between 1 and {BUTTONS_MAX_ACTIONS}")
    if kind == "confirm" and isinstance(actions, list) and len(actions) != 2:
        _err(out, f"{p}.actions", "Size must be between 2 and 2")
    columns = t.get("columns")
    if kind in ("carousel", "image_carousel") and isinstance(columns, list) and not 1 <= len(columns) <= TEMPLATE_CAROUSEL_MAX_COLUMNS:
        _err(out, f"{p}.columns", f"Size must be between 1 and {TEMPLATE_CAROUSEL_MAX_COLUMNS}")
