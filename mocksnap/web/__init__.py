"""The browser side: the pages and scripts mocksnap serves (package data in static/, no build step), the one
live feed of the world's events they all read, and their thin endpoints over the world's commands."""
