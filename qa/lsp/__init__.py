"""``copydesk lsp``: the language server adapter (pygls). ``core`` holds its
calls into the project; ``server`` the protocol. Never imports the TUI."""
