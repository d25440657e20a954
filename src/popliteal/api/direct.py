"""``DirectRoute``: a FastAPI route whose usual requests skip FastAPI's request machinery.

Why: a patient's answer is most of the API's requests, and FastAPI's general handler (body
reading and content negotiation, dependency solving, validation through its field wrappers)
cost more than a tenth of the server's CPU for each. Measured with whole assessments against
``popliteal serve`` (one process, 4 clients, alternated runs): 935-1,016 requests/s with
FastAPI's handler for the answer route, 1,048-1,127 with this one; the server's CPU per
request fell from 0.90-0.97 to 0.80-0.86 ms.

What keeps it honest: the route is declared as any other (its OpenAPI description is
FastAPI's, from the same signature), and the direct handler takes only requests that FastAPI
would accept in the same way: a JSON content type, a body that :func:`json.loads` reads and
the body's model validates (Python mode, as FastAPI validates it), path parameters that their
own annotated types accept. It calls the endpoint with exactly those values. Every other
request (no or another content type, an empty or broken body, a value that fails a check)
goes to FastAPI's own handler, so every error response is FastAPI's.
``tests/api/test_api_direct.py`` sends the same requests to a direct and a plain route and
compares the responses.

Endpoints it can serve: ``async def``, returning a ``Response``, with parameters that are
path parameters (``str``, maybe ``Annotated`` with ``Path(...)``), one required pydantic body
model and ``request: Request``, and no dependencies (of the route or its router: a login or
a rate limit must never be skipped).
For any other signature the route is a plain :class:`fastapi.routing.APIRoute`.
"""

from __future__ import annotations

import email.message
import inspect
import json
import typing
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True)
class Plan:
    """How to call an endpoint from a request: its path parameters' validators, its body's
    model, and the name it takes the request by."""

    path: tuple[tuple[str, TypeAdapter[Any]], ...]
    body_name: str
    body_model: type[BaseModel]
    request_name: str | None

    @classmethod
    def of(cls, endpoint: Callable[..., Any], path_names: set[str]) -> Plan | None:
        """The plan for ``endpoint``, or None when its signature is not one this serves."""
        if not inspect.iscoroutinefunction(endpoint):
            return None
        hints = typing.get_type_hints(endpoint, include_extras=True)
        returns = hints.get("return")
        if not (inspect.isclass(returns) and issubclass(returns, Response)):
            return None  # FastAPI would serialise what it returns; this does not
        path: list[tuple[str, TypeAdapter[Any]]] = []
        body: tuple[str, type[BaseModel]] | None = None
        request_name = None
        for name, parameter in inspect.signature(endpoint).parameters.items():
            annotation = hints.get(name)
            if annotation is None or parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD,
                                                            parameter.KEYWORD_ONLY):
                return None
            bare = typing.get_origin(annotation) is typing.Annotated and typing.get_args(
                annotation)[0] or annotation
            if bare is Request:
                request_name = name
            elif name in path_names and bare is str:
                path.append((name, TypeAdapter(annotation)))
            elif (body is None and parameter.default is parameter.empty
                  and inspect.isclass(annotation) and issubclass(annotation, BaseModel)):
                body = (name, annotation)
            else:
                return None
        if body is None or {name for name, _ in path} != path_names:
            return None
        return cls(tuple(path), body[0], body[1], request_name)

    def read(self, path_params: Mapping[str, Any], content_type: str | None,
             body: bytes) -> dict[str, Any] | None:
        """The endpoint's arguments (without the request), or None: let FastAPI handle it."""
        if not body or not content_type or not _is_json(content_type):
            return None
        try:
            data = json.loads(body)
            values = {name: adapter.validate_python(path_params[name])
                      for name, adapter in self.path}
            values[self.body_name] = self.body_model.model_validate(data)
        except (ValueError, KeyError, ValidationError):  # JSONDecodeError is a ValueError
            return None
        return values


def _is_json(content_type: str) -> bool:
    """FastAPI's test of a JSON body: ``application/json`` or ``application/*+json``."""
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


class DirectRoute(APIRoute):
    """An :class:`APIRoute` that serves its usual requests directly (see the module)."""

    plan: Plan | None = None

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        dependant = self.dependant
        if (self.dependencies or dependant.dependencies or dependant.query_params
                or dependant.header_params or dependant.cookie_params):
            return standard  # dependencies (a login, a rate limit) run only in FastAPI's
        plan = self.plan = Plan.of(self.endpoint, set(self.param_convertors))
        if plan is None:
            return standard
        endpoint = self.endpoint
        request_name = plan.request_name

        async def handler(request: Request) -> Response:
            values = plan.read(request.path_params, request.headers.get("content-type"),
                               await request.body())
            if values is None:
                return await standard(request)  # the body stays cached on the request
            if request_name is not None:
                values[request_name] = request
            response: Response = await endpoint(**values)
            return response

        return handler
