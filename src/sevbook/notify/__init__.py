"""`sevbook notify`: tell subscribers what the status page newly shows, exactly once.

After a deploy, the page just built (`status.site_dir`) is compared with the page as it
was published before (`--previous DIR`, saved before deploying, or fetched from
`status.url`), both read from their Statuspage JSON API only (the privacy boundary: nothing
internal can be sent). Each new public event goes to every configured channel.

* `state`: the public state of a page, from its `api/v2/` JSON (folder or URL);
* `events`: the events between two states (stateless, exactly once);
* `wording`: what a notification says; `payloads`: the JSON of each webhook channel;
  `mail`: e-mail recipients, the message, the SMTP session;
* `http`: POST and retries; `channels`: a configured channel ready to send;
* `run`: one run over every channel; `report`: what it prints.
"""

from __future__ import annotations

from .run import Report, notify
from .state import PublicState, fetch_state, read_state, save_published

__all__ = ["PublicState", "Report", "fetch_state", "notify", "read_state", "save_published"]
