"""The plain HTML forms the staff pages post, as dataclasses: ``SignInForm.of(data)``.

A handler declares ``data: Form`` (the url-encoded body as Litestar parses it) and reads it
through one of these, so every form field is read one way: a repeated field counts once (its
first value), a missing one is its default, a whole number is read by ``whole_number_or``
(ASCII digits only, a sane length; anything else is the default), and text is text. What
each value means (an unknown rule, a short password) is for the layer below to say, in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

from catalogue.core.inputs import whole_number_or


class FormData:
    """A dataclass mixin: ``of(data)`` fills the fields from a parsed form body."""

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for spec in fields(cls):  # type: ignore[arg-type]
            raw = data.get(spec.name)
            if isinstance(raw, list):
                raw = raw[0] if raw else None
            if spec.type == "int":
                default = spec.default if isinstance(spec.default, int) else 0
                values[spec.name] = whole_number_or(raw, default)
            else:
                values[spec.name] = "" if raw is None else str(raw)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class SignInForm(FormData):
    email: str = ""
    password: str = ""
    next: str = ""


@dataclass(frozen=True, slots=True)
class MoveForm(FormData):
    """A workflow step on a device: submit, approve, send back, archive, reopen."""

    action: str = ""
    version: int = -1  # none or forged: stale
    comment: str = ""


@dataclass(frozen=True, slots=True)
class WaiveForm(FormData):
    rule: str = ""
    text: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class UnwaiveForm(FormData):
    waiver: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AccountForm(FormData):
    """An account an admin makes or invites, or the one a reset link is for."""

    email: str = ""
    role: str = ""
    password: str = ""


@dataclass(frozen=True, slots=True)
class NewPasswordForm(FormData):
    password: str = ""
    confirm: str = ""


@dataclass(frozen=True, slots=True)
class RateForm(FormData):
    """An exchange rate an admin sets: ``usd_value`` and ``set_on`` are checked by prices."""

    currency: str = ""
    usd_value: str = ""
    set_on: str = ""


@dataclass(frozen=True, slots=True)
class ImageForm(FormData):
    """One change to a device's pictures: ``action`` is alt, up, down, main or delete."""

    action: str = ""
    alt_text: str = ""
