"""The internal handbook: the `sevbook` MkDocs plugin and the pages it generates.

Page generation (`generate.py`, `pages/`) produces plain Markdown strings from the model and
knows nothing about MkDocs; `plugin.py` is the only module that talks to MkDocs, so another
engine reading the same mkdocs.yml could consume the same Markdown.
"""
