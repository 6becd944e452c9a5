"""What every staff page needs, below the domain apps so that their staff views may use it
(docs/architecture.md): `staff_required` (decorators.py), `staff_render` with the layout the
back office contributes (layout.py), `panel_action` for actions posted from a detail page
(actions.py), typed searches kept in the session (searches.py). Imports only foundation apps."""
