"""Locust load profiles for VICIdial hosts (recording signals, agent_stats_export).

Imports the conformance models and matcher, never the other way round: importing locust
monkey-patches the process with gevent, so nothing under ``conformance`` imports this package.
"""
