"""Reports written from case results: terminal table, JSON, HTML (JUnit comes from pytest)."""
