"""A report's outline (a title, dated sections of sourced sentences, corrections) and its two
renderings: Markdown for reports and the command line, HTML for notebooks."""

from __future__ import annotations

import re

import attrs

from cybertimeline._model import markup
from cybertimeline._model.markup import Markup, cited
from cybertimeline._model.sources import Source
from cybertimeline._model.wording import Citations

__all__ = ["Group", "Item", "Outline", "Section", "markdown_for_notebooks"]


@attrs.frozen
class Item:
    """A sentence, without its full stop, and the sources it cites."""

    text: str
    sources: tuple[Source, ...] = ()


@attrs.frozen
class Group:
    """Sentences under an actor's heading, or under none (a changelog of one actor)."""

    heading: str | None
    items: tuple[Item, ...]


@attrs.frozen
class Section:
    """The groups of one date."""

    date: str
    groups: tuple[Group, ...]


@attrs.frozen
class Outline:
    """What a changelog says, in order, before it is written as Markdown or HTML."""

    title: str
    intro: str
    empty: str
    sections: tuple[Section, ...]
    corrections: tuple[Item, ...] = ()

    def to_markdown(self) -> str:
        """Headings per date and actor, a bullet per sentence with ``[n]`` references, and the
        numbered sources at the end."""
        cites = Citations()
        lines = [f"# {self.title}", "", self.intro, ""]
        if not self.sections:
            lines += [self.empty, ""]
        for section in self.sections:
            lines += [f"## {section.date}", ""]
            for group in section.groups:
                if group.heading is not None:
                    lines += [f"### {group.heading}", ""]
                lines += [f"- {i.text}. {cites.cite(i.sources)}".rstrip() for i in group.items]
                lines.append("")
        if self.corrections:
            lines += ["## Corrections to the record", ""]
            lines += [f"- {i.text}. {cites.cite(i.sources)}".rstrip() for i in self.corrections]
            lines.append("")
        if cites:
            lines += ["## Sources", ""]
            lines += [f"- {line}" for line in cites.lines()]
            lines.append("")
        return "\n".join(lines)

    def to_html(self) -> str:
        """The same, as HTML: headings, lists, and the numbered sources linked."""
        cites = Citations()

        def items(found: tuple[Item, ...]) -> Markup:
            return Markup("<ul>" + markup.join(
                Markup(f"<li>{markup.escape(i.text)}. {cited(cites, i.sources)}</li>")
                for i in found) + "</ul>")

        parts: list[object] = [markup.heading(self.title, 3),
                               Markup(f"<p>{markup.escape(self.intro)}</p>")]
        if not self.sections:
            parts.append(Markup(f"<p><em>{markup.escape(self.empty)}</em></p>"))
        for section in self.sections:
            parts.append(markup.heading(section.date))
            for group in section.groups:
                if group.heading is not None:
                    parts.append(Markup(f"<p><strong>{markup.escape(group.heading)}"
                                        f"</strong></p>"))
                parts.append(items(group.items))
        if self.corrections:
            parts += [markup.heading("Corrections to the record"), items(self.corrections)]
        parts.append(markup.sources_list(cites))
        return markup.block("changelog", *parts)


_TAG = re.compile(r"<(?!https?://[^\s<>]*>)")


def markdown_for_notebooks(text: str) -> str:
    """Markdown whose text from data cannot become HTML: every ``<`` but an autolink's
    (``<https://...>``) is written ``&lt;``."""
    return _TAG.sub("&lt;", text)
