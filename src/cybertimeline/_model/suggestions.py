"""Why a name is refused, and the ids it may have meant: the messages of unknown actors and
instruments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cybertimeline._model.names import NameIndex

__all__ = ["unknown_message"]


def _candidates(name: str, known: Mapping[str, object]) -> list[str]:
    """Ids a mistyped ``name`` may have meant, best first."""
    found = [*_by_letters(name, known), *_by_names(name, known), *_by_ids(name, known)]
    return list(dict.fromkeys(c for c in found if c != name))[:3]


def _by_letters(name: str, known: Mapping[str, object]) -> list[str]:
    """The name in capitals (CAN for can), then the same letters in another order (CNA for
    CAN)."""
    upper = name.upper()
    found = [upper] if upper in known and upper != name else []
    return found + sorted(k for k in known if len(k) == len(name) and sorted(k) == sorted(upper))


def _by_names(name: str, known: Mapping[str, object]) -> list[str]:
    """The ids of names ``name`` is (Canada for CAN), then of names it looks like."""
    import difflib  # only when a name is not found

    by_name = {str(getattr(v, "name", "")).casefold(): k for k, v in known.items()}
    found = [by_name[name.casefold()]] if name.casefold() in by_name else []
    return found + [by_name[n] for n in difflib.get_close_matches(name.casefold(), list(by_name),
                                                                  n=2)]


def _by_ids(name: str, known: Mapping[str, object]) -> list[str]:
    """Ids ``name`` is part of (budapest for budapest-convention), ids that look alike, and
    ids whose first word looks like it (budapst for budapest-convention)."""
    import difflib

    found = sorted(k for k in known if name.casefold() in k.casefold()) if len(name) >= 4 else []
    found += difflib.get_close_matches(name, list(known), n=3)
    heads: dict[str, str] = {}
    for key in known:
        heads.setdefault(key.split("-")[0].casefold(), key)
    return found + [heads[h] for h in difflib.get_close_matches(name.casefold(), list(heads),
                                                                n=1)]


def unknown_message(what: str, name: str, known: Mapping[str, object], *,
                    suggest: bool = True) -> str:
    """Why ``name`` is refused, with the ids it may have meant (for actors, the one it
    names where `Registry.resolve` would take it: ``can`` for CAN). Without ``suggest``,
    no search for them (it reads every known name)."""
    if what == "actor":
        actors: Mapping[str, Any] = known
        close = NameIndex.of(actors).suggest(name) if suggest else []
        hint = (f" (did you mean {' or '.join(_actor_hint(c, actors) for c in close)}?)"
                if close else "")
        return (
            f"unknown actor {name!r}{hint}: use an ISO 3166-1 alpha-3 code "
            f"or declare it in actors.toml"
        )
    close = _candidates(name, known) if suggest else []
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return f"unknown instrument {name!r}{hint}: declare it in instruments.toml"


def _actor_hint(actor: str, actors: Mapping[str, Any]) -> str:
    found = actors.get(actor)
    return f"{actor!r} ({found.name})" if found is not None else repr(actor)
