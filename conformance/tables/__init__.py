"""Upstream's tables: their declaration, database access, and a World as their rows.

Shared by the reference host (its own database) and the SQL fixture mode (a real
VICIdial host's database).
"""
