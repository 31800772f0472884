"""A report's outline (a title, dated sections of sourced sentences, corrections) and its two
renderings: Markdown for reports and the command line, HTML for notebooks."""

from __future__ import annotations

import re

import attrs

from cybertimeline._model import markup
from cybertimeline._model.markup import Markup, cited
from cybertimeline._model.sources import Source
from cybertimeline._model.wording import Citations

__all__ = ["Group", "Item", "Outline", "Section", "markdown_for_notebooks", "markdown_text"]


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
        numbered sources at the end. Text from the data is escaped (`markdown_text`), and
        only ``http`` and ``https`` addresses are linked."""
        cites = Citations()
        lines = [f"# {markdown_text(self.title)}", "", markdown_text(self.intro), ""]
        if not self.sections:
            lines += [markdown_text(self.empty), ""]
        for section in self.sections:
            lines += [f"## {markdown_text(section.date)}", ""]
            for group in section.groups:
                if group.heading is not None:
                    lines += [f"### {markdown_text(group.heading)}", ""]
                lines += [f"- {markdown_text(i.text)}. {cites.cite(i.sources)}".rstrip()
                          for i in group.items]
                lines.append("")
        if self.corrections:
            lines += ["## Corrections to the record", ""]
            lines += [f"- {markdown_text(i.text)}. {cites.cite(i.sources)}".rstrip()
                      for i in self.corrections]
            lines.append("")
        if cites:
            lines += ["## Sources", ""]
            lines += [f"- [{n}] {_source(s)}" for n, s in enumerate(cites.sources, 1)]
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
_BREAKS = re.compile("[\t\n\x0b\x0c\r\x85\u2028\u2029]+")
_MARKS = re.compile(r"[\\`*_\[\]#|~!]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WEB = re.compile(r"https?://[^\s<>\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def markdown_text(text: str) -> str:
    """Text from the data as Markdown that shows it and nothing more: on one line (a line
    break could start a heading), HTML's ``<``, ``>`` and ``&`` as entities, Markdown's
    marks escaped (no emphasis, link, image, heading or table; nor a list at the start),
    control characters and bidirectional overrides as ``\\uXXXX``."""
    text = _BREAKS.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKS.sub(lambda found: "\\" + found.group(), text)
    text = re.sub(r"^([-+=])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _source(source: Source) -> str:
    """``Publisher. *Title* (published). <url>``, the url only if it is a web address."""
    parts = [markdown_text(source.publisher)] if source.publisher else []
    text = ". ".join([*parts, f"*{markdown_text(source.title)}*"])
    text += f" ({markdown_text(str(source.published))})" if source.published else ""
    return text + (f". <{source.url}>" if source.url and _WEB.fullmatch(source.url) else "")


def markdown_for_notebooks(text: str) -> str:
    """Markdown whose text from data cannot become HTML: every ``<`` but an autolink's
    (``<https://...>``) is written ``&lt;``."""
    return _TAG.sub("&lt;", text)
