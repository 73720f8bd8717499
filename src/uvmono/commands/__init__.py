"""One module per command: each turns pipeline results into the text the CLI prints."""
