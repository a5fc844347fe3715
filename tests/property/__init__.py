"""Property and fuzz tests of the readers, writers and the CLI."""
