"""One module per generated page or section; each exposes `pages(ctx) -> Iterable[Page]`."""
