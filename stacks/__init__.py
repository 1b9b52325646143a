"""This project's stacks: the data layer, deployed once per environment."""
