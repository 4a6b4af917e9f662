"""One module per command; each exposes a function taking the parsed arguments and returning an exit code."""
