"""The second handbook engine: Zensical, opt-in (`sevbook build --engine zensical`).

Zensical reads mkdocs.yml but runs no MkDocs plugin, so sevbook gives it what the plugin
would have made: the composed pages (`stage.py`), a derived config (`derive.py`), and
checks that every page was built (`build.py`). Nothing here imports Zensical itself: it
runs in a child process, and is needed only when this engine is asked for
(`pip install 'sevbook[zensical]'`).
"""

from __future__ import annotations

from .build import build_zensical, require

__all__ = ["build_zensical", "require"]
