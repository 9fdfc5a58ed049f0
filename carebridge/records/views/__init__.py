"""The record's pages, one module per area: summary, results, sections, downloads, sharing."""
