"""Plain-Python helpers shared by the apps and by the engines that must not depend on them (the
matching engine): no Django, no app. Not a Django app; an import contract keeps it pure."""
