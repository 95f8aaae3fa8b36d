"""The project's own import-linter contract type (pyproject.toml registers it under contract_types).

`app_surface`: between the listed apps, a module may import another app only through that app's
surface (the submodules named in `surface`: models, choices, selectors, services), never its
views, api, forms, policies, tasks or any other part. The stock contract types cannot say "any app
but only these parts of it" without listing every other part of every app, which a new module
would slip past. An app's own imports are not checked here (its layers contract does that), nor
are imports made by tests, which may use anything."""

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


class AppSurfaceContract(Contract):
    type_name = "app_surface"

    apps = fields.ListField(subfield=fields.ModuleField())
    surface = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        apps = [module.name for module in self.apps]  # type: ignore[attr-defined]
        surface = set(self.surface)  # type: ignore[arg-type]

        def app_of(name: str) -> str | None:
            return next((app for app in apps if name == app or name.startswith(f"{app}.")), None)

        illegal = []
        for app in apps:
            for imported in sorted(graph.find_descendants(app)):
                if imported[len(app) + 1:].split(".")[0] in surface:
                    continue
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    importer_app = app_of(importer)
                    if importer_app in (None, app) or "tests" in importer.split("."):
                        continue
                    lines = [detail["line_number"] for detail in graph.get_import_details(
                        importer=importer, imported=imported)]
                    illegal.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not illegal, warnings=list(removal.warnings),
                             ignored_import_count=removal.ignored_import_count, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(f"Other apps may import only {', '.join(self.surface)} of an app:",  # type: ignore
                           bold=False)
        output.new_line()
        for link in check.metadata["illegal"]:
            lines = ", ".join(map(str, link["lines"]))
            output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False)
        output.new_line()
