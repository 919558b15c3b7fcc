"""Views of the feedback app, by stage (register, public, outreach, archive, exports)."""
