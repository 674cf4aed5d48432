"""``copydesk serve``: the HTTP service, an adapter beside the command line
(docs/server.md). :mod:`qa.server.core` holds every call into the core."""
