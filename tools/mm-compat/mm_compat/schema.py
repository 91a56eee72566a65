"""Turns an upstream OpenAPI 3.0 schema into a JSON Schema jsonschema can check.

$refs are inlined (a reference back into itself becomes "anything"),
`nullable` becomes a "null" type, and objects that list their properties are
closed, so that a property upstream does not define shows up as an
`additionalProperties` error (reported apart, as information)."""

from copy import deepcopy

# JSON Schema keywords kept; descriptions, examples and formats say nothing about types.
_KEEP = ("type", "enum", "required")


def resolve_pointer(document: dict, ref: str):
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported: {ref}")
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def to_json_schema(schema, document: dict, _stack: tuple[str, ...] = (), closable: bool = True) -> dict:
    if not isinstance(schema, dict):
        return {}
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref in _stack:
            return {}
        return to_json_schema(resolve_pointer(document, ref), document, (*_stack, ref), closable)

    out = {k: deepcopy(schema[k]) for k in _KEEP if k in schema}
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]

    if "properties" in schema:
        out["properties"] = {
            name: to_json_schema(sub, document, _stack) for name, sub in (schema["properties"] or {}).items()
        }
    if "items" in schema:
        out["items"] = to_json_schema(schema["items"], document, _stack)
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = to_json_schema(schema["additionalProperties"], document, _stack)
    elif isinstance(schema.get("additionalProperties"), bool):
        out["additionalProperties"] = schema["additionalProperties"]
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            out[keyword] = [to_json_schema(s, document, _stack, closable=False) for s in schema[keyword]]
    if "allOf" in schema:
        parts = [to_json_schema(s, document, _stack, closable=False) for s in schema["allOf"]]
        merged = _merge_objects(parts)
        if merged is None:
            out["allOf"] = parts
        else:
            out = _merge_objects([out, merged]) or out

    if closable and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _merge_objects(parts: list[dict]) -> dict | None:
    """allOf of plain objects is one object with all their properties; anything
    else is left to jsonschema as allOf."""
    merged: dict = {"type": "object", "properties": {}}
    required: list[str] = []
    for part in parts:
        if not part:
            continue
        if part.get("type", "object") != "object" or any(k in part for k in ("allOf", "oneOf", "anyOf", "items")):
            return None
        merged["properties"].update(part.get("properties", {}))
        required += [r for r in part.get("required", []) if r not in required]
        if "additionalProperties" in part and part["additionalProperties"] is not False:
            merged["additionalProperties"] = part["additionalProperties"]
    if required:
        merged["required"] = required
    return merged


def response_schema(operation: dict, status: int, document: dict) -> dict | None:
    """The upstream JSON schema of one operation's answer with this status, or
    None when upstream describes no JSON body for it."""
    responses = operation.get("responses") or {}
    response = responses.get(str(status)) or responses.get(status) or responses.get(f"{str(status)[0]}XX")
    if response is None:
        return None
    if "$ref" in response:
        response = resolve_pointer(document, response["$ref"])
    content = response.get("content") or {}
    media = content.get("application/json")
    if not isinstance(media, dict) or "schema" not in media:
        return None
    return media["schema"]
