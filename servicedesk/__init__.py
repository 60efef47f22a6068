"""The service desk domain: models, tickets, catalogue, agents and the desk API."""
