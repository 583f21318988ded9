"""Files that live at the top of the repository (schemas/, fixtures/) and ship inside the package."""
