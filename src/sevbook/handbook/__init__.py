"""The internal handbook: the `sevbook` MkDocs plugin and the pages it generates.

Page generation produces plain Markdown strings from the model and knows nothing about
MkDocs, so another engine reading the same mkdocs.yml could consume the same Markdown:

* `context.py`: what every generator reads (model, time, diagnostics, link helpers);
* `page.py`: what a generator yields (a page, or the parts around a file's prose);
* `pages/`: the generators, one module per page or family of pages (metrics included);
* `generate.py`: the registry of generators, and `generate()` for use without MkDocs;
* `md.py`: the one set of Markdown writers (escaping, links, badges, tables).

MkDocs-specific: `plugin.py` (the events), `nav.py` (the automatic navigation), `theme.py`
(the template overrides shipped in `overrides/` and the data they read), `build.py` and
`serve.py` (what `sevbook build` and `sevbook serve` run).
"""
