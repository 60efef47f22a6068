"""Rasa custom actions for En väg in: thin adapters that call servicedesk/ and nlu/."""
