"""The API's documentation at /api/docs: drawn by the server from the OpenAPI schema.

django-ninja's Swagger UI failed axe (contrast, no `lang`, buttons inside buttons) and runs
scripts and styles the Content-Security-Policy refuses; this page is the same schema as plain
HTML in the site's layout: endpoints grouped by tag, their parameters, what they take and
answer, every schema's fields, and a link to the raw openapi.json.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

REF_PREFIX = "#/components/schemas/"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class TypeText:
    """A type in words, with at most one schema named in it (drawn as a link to that schema):
    `before`, then the schema's name, then `after` ("list of " EntryOut "")."""

    before: str
    ref: str = ""
    after: str = ""

    @property
    def plain(self) -> str:
        return f"{self.before}{self.ref}{self.after}"


@dataclass(frozen=True)
class Field:
    name: str
    type: TypeText
    required: bool
    description: str = ""
    where: str = ""  # for parameters: path, query, header, cookie


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    type: TypeText | None


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    body: TypeText | None
    answers: list[Answer]


@dataclass
class Group:
    name: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: list[Field]


def type_text(schema: dict[str, Any]) -> TypeText:
    """A JSON schema as a reader would say it: "integer, 0–86400 or null", "list of EntryOut"."""
    if "$ref" in schema:
        return TypeText("", schema["$ref"].removeprefix(REF_PREFIX))
    if "anyOf" in schema:
        parts = [type_text(part) for part in schema["anyOf"]]
        named = [part for part in parts if part.ref]
        if len(named) == 1:
            rest = [part.plain for part in parts if part is not named[0]]
            return TypeText(named[0].before, named[0].ref, " or ".join([named[0].after, *rest]))
        return TypeText(" or ".join(part.plain for part in parts))
    kind = schema.get("type", "any value")
    if kind == "array":
        items = type_text(schema.get("items", {}))
        return TypeText("list of " + items.before, items.ref, items.after)
    if "enum" in schema:
        return TypeText("one of " + ", ".join(f"“{value}”" for value in schema["enum"]))
    words = str(kind)
    if "format" in schema:
        words += f" ({schema['format']})"
    if "minimum" in schema or "maximum" in schema:
        words += f", {schema.get('minimum', '…')}–{schema.get('maximum', '…')}"
    if "maxLength" in schema:
        words += f", at most {schema['maxLength']} characters"
    return TypeText(words)


def _json_type(content: dict[str, Any] | None) -> TypeText | None:
    schema = (content or {}).get("application/json", {}).get("schema")
    return type_text(schema) if schema is not None else None


def _fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    fields = []
    for name, prop in schema.get("properties", {}).items():
        description = prop.get("description", "")
        if "default" in prop and prop["default"] not in ("", None):
            description = f"{description} Default: {prop['default']}.".strip()
        fields.append(Field(name, type_text(prop), name in required, description))
    return fields


def operations_by_tag(openapi: dict[str, Any]) -> list[Group]:
    groups: dict[str, Group] = {}
    for path, item in openapi.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            parameters = [
                Field(
                    name=p["name"],
                    type=type_text(p.get("schema", {})),
                    required=bool(p.get("required")),
                    description=p.get("description", ""),
                    where=p.get("in", ""),
                )
                for p in operation.get("parameters", [])
            ]
            answers = [
                Answer(
                    str(status), answer.get("description", ""), _json_type(answer.get("content"))
                )
                for status, answer in operation.get("responses", {}).items()
            ]
            body = operation.get("requestBody")
            groups.setdefault(tag, Group(tag)).operations.append(
                Operation(
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    body=_json_type(body.get("content")) if body else None,
                    answers=answers,
                )
            )
    return list(groups.values())


def schemas(openapi: dict[str, Any]) -> list[Schema]:
    return [
        Schema(name, schema.get("description", ""), _fields(schema))
        for name, schema in openapi.get("components", {}).get("schemas", {}).items()
    ]


class ReadableDocs(DocsBase):
    """django-ninja's hook for its docs page (`NinjaAPI(docs=…)`), kept at its URL name."""

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        openapi = api.get_openapi_schema(path_params=kwargs)
        context = {
            "info": openapi.get("info", {}),
            "groups": operations_by_tag(openapi),
            "schemas": schemas(openapi),
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, "api/docs.html", context)
