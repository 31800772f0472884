"""The dataset as a static website: plain files that work from ``file://``, nothing fetched.

`build_site` writes an index, a page per instrument, actor, resolution and body, the
numbered sources and a search page. What a page shows for a chosen day is the value of
the last change point on or before it (`cybertimeline._reports.changepoints`): the
library computed it, the page only looks it up.
"""

from cybertimeline._reports.website.build import SiteSummary, build_site

__all__ = ["SiteSummary", "build_site"]
