"""The agent's chat workspace: queue · conversation · buyer card. The panes re-fetch
their fragments when the server pushes an event (live/); see docs/chats.md.

One module per part of the page; ``chats/urls.py`` wires in each."""
